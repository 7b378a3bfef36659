# scrapyd-deploy builds the project's egg with `python setup.py bdist_egg`; everything else about the
# package (name, dependencies, packages, the Scrapy settings entry point) is in pyproject.toml.
from setuptools import setup

setup()
