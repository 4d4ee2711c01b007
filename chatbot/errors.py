"""Errors shared by packages that must not import each other's modules.

``ConvertError`` is raised by both converters: ``chatbot.authoring.convert`` (YAML, JSON, CSV/TSV)
and ``chatbot.azure.importers`` (QnA Maker and Azure exports), which ``convert`` calls. Living here,
below both, it keeps the Azure importers from importing the authoring package back.
"""


class ConvertError(ValueError):
    """A file that cannot be converted; each line of the message is one problem."""
