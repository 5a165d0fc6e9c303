"""Fuzzing /v1/openapi.json against a real `campfire serve` with schemathesis: requests the
document allows, and requests it does not, for every operation. No answer may be a 5xx, and
every answer must match the document (status, content type, schema). Bounded: a fixed
number of examples per operation, about a minute in all on a loaded 2-core machine."""
import time

import pytest
from hypothesis import HealthCheck, given, settings

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.specs.openapi.checks import negative_data_rejection, positive_data_acceptance  # noqa: E402

EXAMPLES = 25  # per operation and mode (data the document allows / does not)
BUDGET_S = 150  # a bound, not a timing: about 40 s on a loaded 2-core machine


# Data the document does not allow must be refused with one of the API's own 4xx codes:
# 413 included (a text over its maxLength is `text_too_long`).
REJECTIONS = ["400", "401", "403", "404", "405", "413", "415", "422"]


def operations(document):
    from schemathesis.config import SchemathesisConfig
    config = SchemathesisConfig.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": REJECTIONS}}})
    schema = schemathesis.openapi.from_dict(document, config=config)
    return [result.ok() for result in schema.get_all_operations()]


def test_fuzzing_the_openapi_document_finds_no_5xx_and_no_schema_violation(companion_server):
    status, _, document = companion_server.request("GET", "/v1/openapi.json",
                                                   headers=companion_server.auth)
    assert status == 200
    start = time.monotonic()
    seen: dict[str, set[int]] = {}
    for operation in operations(document):
        label = f"{operation.method.upper()} {operation.path}"
        has_body = "requestBody" in document["paths"][operation.path][operation.method.lower()]
        # Without a body or parameters there is no request the document does not allow.
        for mode in schemathesis.GenerationMode if has_body else [schemathesis.GenerationMode.POSITIVE]:

            @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=operation.as_strategy(generation_mode=mode))
            def fuzz(case):
                response = case.call_and_validate(
                    base_url=companion_server.base_url, headers=companion_server.auth, timeout=30,
                    additional_checks=[positive_data_acceptance, negative_data_rejection])
                seen.setdefault(label, set()).add(response.status_code)

            try:
                fuzz()
            except BaseException:
                # The companion's log names the type of an internal error (never its message).
                print("".join(l for l in companion_server.lines if " 500 " in l or "ERROR" in l))
                raise
        assert time.monotonic() - start < BUDGET_S, f"fuzzing ran past {BUDGET_S} s at {label}"
    assert set(seen) == {f"{m.upper()} {p}" for p, ops in document["paths"].items() for m in ops}
    assert all(statuses for statuses in seen.values())
