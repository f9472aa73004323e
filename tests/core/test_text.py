from haven.core.text import name_tokens, normalise_id_number, normalise_name, vietnamese_sort_key


def test_accented_and_unaccented_names_normalise_alike():
    assert normalise_name("Đặng Thị  Ngọc") == normalise_name("dang thi ngoc") == "dang thi ngoc"
    assert normalise_name("ĐỖ VĂN ƯỚC") == "do van uoc"


def test_decomposed_unicode_normalises_like_composed():
    decomposed = "Nguye\u0302\u0303n"
    assert normalise_name(decomposed) == normalise_name("Nguyễn") == "nguyen"


def test_name_tokens_are_unique_words():
    assert name_tokens("Lò Thị Lò") == ["lo", "thi"]


def test_id_numbers_ignore_spaces_and_case():
    assert normalise_id_number(" 012 345-678 ab ") == "012345678AB"


def test_vietnamese_order_follows_the_alphabet_and_tones():
    names = ["Vũ Thị Ơn", "Đỗ Văn Ô", "Hoàng Ăn", "Trần Thị An", "Lê Văn Dũng", "Phạm Thị Ánh", "Nguyễn Văn Đức"]
    ordered = sorted(names, key=vietnamese_sort_key)
    assert ordered == ["Trần Thị An", "Phạm Thị Ánh", "Hoàng Ăn", "Lê Văn Dũng", "Nguyễn Văn Đức", "Đỗ Văn Ô", "Vũ Thị Ơn"]


def test_d_with_stroke_sorts_after_d_not_with_it():
    assert sorted(["Đào", "Dung", "Dương"], key=vietnamese_sort_key) == ["Dung", "Dương", "Đào"]
