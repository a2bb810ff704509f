"""Pages of a long list, as GOV.UK's pagination component takes them.

The numbers follow the design system's pattern: the first and last page, the current page with one either side, and
an ellipsis for each gap (https://design-system.service.gov.uk/components/pagination/).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Window:
    """The page of a list that is shown: the page asked for, kept within the list."""

    page: int  # 1-based
    pages: int  # at least 1, even for an empty list
    offset: int  # how many items come before the page
    size: int  # items to a page

    def slice(self, items: list[Any]) -> list[Any]:
        """The page's items, of a list already in memory."""
        return items[self.offset : self.offset + self.size]


def window(asked: int, total: int, size: int) -> Window:
    """Page `asked` of `total` items, `size` to a page; a page before the first is the first, past the last the
    last (a link kept from when the list was longer still shows something)."""
    pages = max(1, -(-total // size))
    page = min(max(asked, 1), pages)
    return Window(page, pages, (page - 1) * size, size)


def page_numbers(page: int, pages: int) -> list[int | None]:
    """The page numbers to link to, None for an ellipsis."""
    shown = sorted({1, pages, *(n for n in (page - 1, page, page + 1) if 1 <= n <= pages)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - (numbers[-1] or 0) > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


def pagination(page: int, pages: int, href: Callable[[int], str], label: str = "Pages") -> dict[str, Any] | None:
    """The parameters of govukPagination for page `page` of `pages` (None when there is only one page)."""
    if pages <= 1:
        return None
    items: list[dict[str, Any]] = []
    for number in page_numbers(page, pages):
        if number is None:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page})
    params: dict[str, Any] = {"items": items, "landmarkLabel": label}
    if page > 1:
        params["previous"] = {"href": href(page - 1)}
    if page < pages:
        params["next"] = {"href": href(page + 1)}
    return params
