import os

from hypothesis import HealthCheck, settings

# Property tests: a modest default for CI; NEGOTIATE_HYPOTHESIS_PROFILE=heavy for deep runs.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "heavy", max_examples=2000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("NEGOTIATE_HYPOTHESIS_PROFILE", "ci"))
