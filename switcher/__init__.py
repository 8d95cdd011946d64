"""switcher: reach every AWS account and role you can use, from one keyboard UI."""

__version__ = "0.1.0"
