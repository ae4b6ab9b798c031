from generator.naming import python_member, snake


def test_snake_case_of_camel_case() -> None:
    assert snake("statusCode") == "status_code"
    assert python_member("class") == "class_"
