from __future__ import annotations

import io
from typing import Any

from django.test import Client
from openpyxl import Workbook
from rest_framework.test import APIClient


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user: Any) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sheet(header: list[str], rows: list[list[Any]]) -> bytes:
    """A spreadsheet to import: the header row, then the rows."""
    workbook = Workbook(write_only=True)
    page = workbook.create_sheet()
    page.append(header)
    for row in rows:
        page.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
