"""The service's routes, one module per resource; each offers `routes(services)`."""
