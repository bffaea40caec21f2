"""The outbox and the HTTPS client that brings reports to the district service."""
