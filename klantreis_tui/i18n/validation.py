"""Pydantic's validation errors worded in the UI language (pydantic ships English only)."""

from __future__ import annotations

from typing import Any

from klantreis_tui.i18n import N_, t, tn

#: a pydantic error type -> the words for it (its ``ctx`` fills the placeholders)
_BY_TYPE: dict[str, str] = {
    "missing": N_('required field is missing'),
    "extra_forbidden": N_('unknown field'),
    "string_type": N_('must be text'),
    "string_sub_type": N_('must be text'),
    "string_unicode": N_('must be text'),
    "int_type": N_('must be a whole number'),
    "int_parsing": N_('must be a whole number'),
    "int_from_float": N_('must be a whole number'),
    "float_type": N_('must be a number'),
    "float_parsing": N_('must be a number'),
    "finite_number": N_('must be a finite number'),
    "bool_type": N_('must be true or false'),
    "bool_parsing": N_('must be true or false'),
    "list_type": N_('must be a list'),
    "tuple_type": N_('must be a list'),
    "set_type": N_('must be a list'),
    "dict_type": N_('must be an object (a mapping of fields)'),
    "model_type": N_('must be an object (a mapping of fields)'),
    "model_attributes_type": N_('must be an object (a mapping of fields)'),
    "datetime_type": N_('must be a date and time, for example 2026-02-10T10:00:00+00:00'),
    "datetime_parsing": N_('must be a date and time, for example 2026-02-10T10:00:00+00:00'),
    "datetime_from_date_parsing": N_('must be a date and time, for example 2026-02-10T10:00:00+00:00'),
    "datetime_object_invalid": N_('must be a date and time, for example 2026-02-10T10:00:00+00:00'),
    "date_type": N_('must be a date, for example 2026-02-10'),
    "date_parsing": N_('must be a date, for example 2026-02-10'),
    "date_from_datetime_parsing": N_('must be a date, for example 2026-02-10'),
    "date_from_datetime_inexact": N_('must be a date, for example 2026-02-10'),
    "none_required": N_('must be empty (null)'),
    "greater_than": N_('must be greater than {gt}'),
    "greater_than_equal": N_('must be at least {ge}'),
    "less_than": N_('must be less than {lt}'),
    "less_than_equal": N_('must be at most {le}'),
    "string_pattern_mismatch": N_('does not have the required form ({pattern})'),
    "json_invalid": N_('not valid JSON'),
    "bundle_version": N_('bundle schema version {found}, expected {expected}'),
}

def allowed_values(expected: object) -> str:
    """Pydantic's list of allowed values (``'a', 'b' or 'c'``) without its English "or"."""
    text = str(expected)
    head, sep, tail = text.rpartition(" or ")
    return f"{head}, {tail}" if sep else text


def validation_text(error: dict[str, Any]) -> str:
    """One error of ``ValidationError.errors()`` in the UI language, without its place (``loc``)."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind in ("bundle_links", "kit_links"):  # ours, worded where they were found
        return str(ctx.get("problems", error["msg"]))
    if kind in ("literal_error", "enum"):
        return t('must be one of: {options}', options=allowed_values(ctx.get("expected", "")))
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        return t('unknown kind; choose from: {options}', options=ctx.get("expected_tags", ""))
    if kind == "string_too_short":
        return tn('must be at least {n} character long', 'must be at least {n} characters long', int(ctx.get("min_length", 1)))
    if kind == "string_too_long":
        return tn('may be at most {n} character long', 'may be at most {n} characters long', int(ctx.get("max_length", 0)))
    if kind == "too_short":
        return tn('must hold at least {n} item', 'must hold at least {n} items', int(ctx.get("min_length", 1)))
    if kind == "too_long":
        return tn('may hold at most {n} item', 'may hold at most {n} items', int(ctx.get("max_length", 0)))
    if kind in _BY_TYPE:
        try:
            return t(_BY_TYPE[kind], **ctx)
        except (KeyError, IndexError, ValueError):
            return t('invalid value')
    return t('invalid value')


def validation_problems(errors: list[dict[str, Any]], *prefix: object) -> list[str]:
    """Each error as ``place: words``, the place its ``loc`` after ``prefix`` (``respondents.0.code``)."""
    return [f"{'.'.join(str(p) for p in (*prefix, *e['loc'])) or '-'}: {validation_text(e)}" for e in errors]

