"""Operator scripts run from the Makefile (`make film`, `make screenshots`); not part of the app."""
