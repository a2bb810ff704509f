"""Page numbers as GOV.UK's pagination component shows them."""

from __future__ import annotations

from app.pagination import Window, page_numbers, pagination, window


def test_page_numbers_keep_the_ends_and_the_neighbours() -> None:
    assert page_numbers(1, 1) == [1]
    assert page_numbers(1, 3) == [1, 2, 3]
    assert page_numbers(1, 10) == [1, 2, None, 10]
    assert page_numbers(5, 10) == [1, None, 4, 5, 6, None, 10]
    assert page_numbers(3, 10) == [1, 2, 3, 4, None, 10]  # no ellipsis for a gap of nothing
    assert page_numbers(10, 10) == [1, None, 9, 10]


def test_pagination_links_and_the_single_page() -> None:
    assert pagination(1, 1, str) is None
    params = pagination(2, 3, lambda n: f"?page={n}")
    assert params is not None
    assert params["previous"] == {"href": "?page=1"} and params["next"] == {"href": "?page=3"}
    assert [item["current"] for item in params["items"]] == [False, True, False]
    first = pagination(1, 3, str)
    assert first is not None and "previous" not in first


def test_the_window_keeps_the_page_asked_for_within_the_list() -> None:
    assert window(1, 0, 100) == Window(page=1, pages=1, offset=0, size=100)  # an empty list still has a page
    assert window(2, 250, 100) == Window(page=2, pages=3, offset=100, size=100)
    assert window(9, 250, 100).page == 3 and window(9, 250, 100).offset == 200  # past the end: the last page
    assert window(0, 250, 100).page == 1 and window(-4, 250, 100).offset == 0
    assert window(3, 200, 100).pages == 2  # a full last page adds no empty one
    assert window(3, 250, 100).slice(list(range(250))) == list(range(200, 250))
