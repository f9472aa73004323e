import pytest

from haven.core import crypto


@pytest.fixture
def ring():
    return crypto.parse_keyring(crypto.new_keyring_document("k7"))


def test_it_round_trips_vietnamese_text(ring):
    sealed = crypto.encrypt("Đặng Thị Ngọc", context="cases.personidentity.full_name", ring=ring)
    assert sealed.startswith("hv1:k7:")
    assert crypto.decrypt(sealed, context="cases.personidentity.full_name", ring=ring) == "Đặng Thị Ngọc"


def test_each_sealing_is_different(ring):
    a = crypto.encrypt("same", context="c", ring=ring)
    b = crypto.encrypt("same", context="c", ring=ring)
    assert a != b


def test_a_value_moved_to_another_column_fails_authentication(ring):
    sealed = crypto.encrypt("0912345678", context="cases.personidentity.phone", ring=ring)
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, context="cases.personidentity.full_name", ring=ring)


def test_a_wrong_key_raises_instead_of_returning_ciphertext(ring):
    sealed = crypto.encrypt("secret", context="c", ring=ring)
    other = crypto.parse_keyring(crypto.new_keyring_document("k7"))
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(sealed, context="c", ring=other)


def test_a_missing_key_id_raises(ring):
    sealed = crypto.encrypt("secret", context="c", ring=ring).replace("hv1:k7:", "hv1:k9:")
    with pytest.raises(crypto.DecryptionError, match="k9"):
        crypto.decrypt(sealed, context="c", ring=ring)


def test_a_tampered_value_raises(ring):
    sealed = crypto.encrypt("secret", context="c", ring=ring)
    body = sealed.split(":", 2)[2]
    flipped = body[:-4] + ("A" if body[-4] != "A" else "B") + body[-3:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("hv1:k7:" + flipped, context="c", ring=ring)


def test_plain_text_in_the_column_is_refused(ring):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("Đặng Thị Ngọc", context="c", ring=ring)


def test_blind_index_is_stable_per_key_and_purpose(ring):
    other = crypto.parse_keyring(crypto.new_keyring_document())
    a = crypto.blind_index("dang thi ngoc", purpose="name", ring=ring)
    assert a == crypto.blind_index("dang thi ngoc", purpose="name", ring=ring)
    assert a != crypto.blind_index("dang thi ngoc", purpose="name_token", ring=ring)
    assert a != crypto.blind_index("dang thi ngoc", purpose="name", ring=other)


def test_an_incomplete_keyring_is_rejected():
    document = crypto.new_keyring_document()
    del document["index_key"]
    with pytest.raises(crypto.KeyError_):
        crypto.parse_keyring(document)
    document = crypto.new_keyring_document()
    document["active"] = "nope"
    with pytest.raises(crypto.KeyError_):
        crypto.parse_keyring(document)


def test_a_missing_key_file_names_the_fix(tmp_path, monkeypatch):
    monkeypatch.delenv("HAVEN_KEYS", raising=False)
    with pytest.raises(crypto.KeyError_, match="haven keys init"):
        crypto.read_keyring_document(tmp_path / "absent.json")
