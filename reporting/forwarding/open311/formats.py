"""Open311 GeoReport v2 responses in JSON and XML, errors as the spec defines them:
a list of ``{code, description}`` in JSON, ``<errors><error><code/><description/>``
in XML, with the HTTP status of the error."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # noqa: S405 - used only to write XML

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")


# Characters XML 1.0 does not allow at all (C0 controls other than tab, newline and
# carriage return; lone surrogates; U+FFFE and U+FFFF): ElementTree would write them
# as they are, and no parser would read the document.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 forbids replaced by U+FFFD."""
    return NOT_XML.sub("\ufffd", text)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return xml_safe(str(value))


def _append(parent: ET.Element, key: str, value) -> None:
    element = ET.SubElement(parent, key)
    if isinstance(value, dict):
        for child_key, child_value in value.items():
            _append(element, child_key, child_value)
    else:
        element.text = _text(value)


def to_xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ET.Element(root)
    for row in rows:
        element = ET.SubElement(top, item)
        for key, value in row.items():
            _append(element, key, value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def definition_xml(definition: dict) -> bytes:
    top = ET.Element("service_definition")
    ET.SubElement(top, "service_code").text = _text(definition["service_code"])
    attributes = ET.SubElement(top, "attributes")
    for attribute in definition["attributes"]:
        element = ET.SubElement(attributes, "attribute")
        for key, value in attribute.items():
            if key == "values":
                values = ET.SubElement(element, "values")
                for option in value:
                    value_element = ET.SubElement(values, "value")
                    ET.SubElement(value_element, "key").text = _text(option["key"])
                    ET.SubElement(value_element, "name").text = _text(option["name"])
            else:
                ET.SubElement(element, key).text = _text(value)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(
        top, encoding="utf-8", xml_declaration=False
    )


def respond(fmt: str, root: str, item: str, rows: list[dict], status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, item, rows), content_type=XML_TYPE, status=status)
    return HttpResponse(json.dumps(rows), content_type=JSON_TYPE, status=status)


def error(fmt: str, status: int, description: str) -> HttpResponse:
    return respond(fmt, "errors", "error", [{"code": status, "description": description}], status)
