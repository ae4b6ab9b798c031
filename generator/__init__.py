"""meetingbaas-sdkgen: OpenAPI spec -> typed Python SDK for the Meeting BaaS API."""

__version__ = "0.1.0"
