"""Package list for setuptools (everything else is in pyproject.toml).

The top-level ``examples/`` folder ships inside the package as ``negotiate.examples``
(a ``package_dir`` mapping, which pyproject.toml cannot combine with package discovery).
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["negotiate", "negotiate.*"]), "negotiate.examples"],
    package_dir={"negotiate.examples": "examples"},
)
