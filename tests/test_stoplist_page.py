"""The Stop list page: typed entries in any shape, import from a contact file, export."""

from __future__ import annotations

from kupon_desktop.store.log import Log
from tests.uihelpers import make_window


def test_add_import_remove_export(qtbot, qasync_loop, tmp_path):
    window = make_window(qtbot)
    page = window.stoplist_page
    log = Log(tmp_path / "log.sqlite3")
    try:
        page.attach(log, window.ctx.runner, "RU")
        page.address.setText("8 (916) 123-45-67")
        page.note.setText("просил не писать")
        page.add_typed()
        page.address.setText("Ivan@Example.RU")
        page.add_typed()
        page.address.setText("не адрес")
        page.add_typed()
        assert "не адрес" in page.message.text()
        page.address.setText("   ")
        page.add_typed()  # Enter in an empty field is no mistake
        assert "не адрес" in page.message.text()
        assert page.message.isVisibleTo(page)
        assert log.stop_list_size() == 2
        assert log.stopped_among(["79161234567", "ivan@example.ru"]) == {
            "79161234567",
            "ivan@example.ru",
        }
        qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=5000)

        source = tmp_path / "refused.csv"
        source.write_text("Телефон\n+7 903 111-22-33\n8 903 111 22 34\n", encoding="utf-8")
        task = qasync_loop.create_task(page.import_file(source))
        qtbot.waitUntil(task.done, timeout=10000)
        assert task.result() == 2
        assert page.model.rowCount() == 4

        page.view.selectRow(0)
        page.remove_selected()
        qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=5000)

        target = tmp_path / "stop.csv"
        task = qasync_loop.create_task(page.export_file(target))
        qtbot.waitUntil(task.done, timeout=10000)
        assert target.read_text(encoding="utf-8-sig").count("\n") == 4  # header + 3
    finally:
        log.close()
