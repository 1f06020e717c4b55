"""Open311 GeoReport v2 responses in JSON and XML, errors as the spec defines them:
a list of ``{code, description}`` in JSON, ``<errors><error><code/><description/>``
in XML, with the HTTP status of the error."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET  # noqa: S405 - used only to write XML

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"
FORMATS = ("json", "xml")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
    ET.SubElement(top, "service_code").text = definition["service_code"]
    attributes = ET.SubElement(top, "attributes")
    for attribute in definition["attributes"]:
        element = ET.SubElement(attributes, "attribute")
        for key, value in attribute.items():
            if key == "values":
                values = ET.SubElement(element, "values")
                for option in value:
                    value_element = ET.SubElement(values, "value")
                    ET.SubElement(value_element, "key").text = option["key"]
                    ET.SubElement(value_element, "name").text = option["name"]
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
