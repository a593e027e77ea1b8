from django.apps import AppConfig


class TinjauanConfig(AppConfig):
    name = "renstra_gen.web.tinjauan"
    label = "tinjauan"
    verbose_name = "Tinjauan, persetujuan dan tanda tangan"

    def ready(self) -> None:
        """The hook of the editing save path (no save while a document is under review), and the review
        columns of the regency page (web/jobs/kabupaten.py, issue 31 item 6) when that module is there."""
        from renstra_gen.web.kantor.access import EDIT_GUARDS
        from renstra_gen.web.tinjauan.views import content_frozen

        if content_frozen not in EDIT_GUARDS:
            EDIT_GUARDS.append(content_frozen)
        try:
            from renstra_gen.web.jobs.kabupaten import register_column
        except ImportError:  # the regency page is another branch's; /tinjauan/ shows the same meanwhile
            return
        from renstra_gen.web.tinjauan.views import column_open_notes, column_states

        register_column("Status tinjauan", column_states)
        register_column("Catatan terbuka", column_open_notes)
