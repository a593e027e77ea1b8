"""The one place that decides who may see or change which office: every view calls `office_for`.

admin: every office, read and write (and the admin pages); penyusun: their own office, read and
write; verifikator: every office, read only; kepala: their own office, read only. An office a
person may not see is a 404 (its existence is not revealed); one they may see but not change is 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from renstra_gen.web.kantor.models import Office, Role


def role_of(user) -> str | None:
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.ADMIN
    profil = getattr(user, "profil", None)
    return profil.role if profil else None


def visible_offices(user) -> QuerySet[Office]:
    role = role_of(user)
    if role in (Role.ADMIN, Role.VERIFIKATOR):
        return Office.objects.all()
    if role in (Role.PENYUSUN, Role.KEPALA) and user.profil.office_id:
        return Office.objects.filter(pk=user.profil.office_id)
    return Office.objects.none()


#: Checks (office -> bool) that freeze an office's content for everyone, e.g. a document under review
#: (web/tinjauan registers one): a submitted version is not edited.
EDIT_GUARDS: list = []


def can_write(user, office: Office) -> bool:
    if any(frozen(office) for frozen in EDIT_GUARDS):
        return False
    role = role_of(user)
    if role == Role.ADMIN:
        return True
    return role == Role.PENYUSUN and user.profil.office_id == office.pk


def office_for(request, slug: str, write: bool = False) -> Office:
    """The office named in the URL if the person may see it (and change it, with write=True)."""
    if not request.user.is_authenticated:
        raise PermissionDenied
    office = visible_offices(request.user).filter(slug=slug).first()
    if office is None:
        raise Http404("Perangkat daerah tidak ditemukan")
    if write and not can_write(request.user, office):
        raise PermissionDenied("Anda hanya dapat membaca perangkat daerah ini")
    return office


def require_admin(request) -> None:
    if role_of(request.user) != Role.ADMIN:
        raise PermissionDenied


def office_view(write: bool = False, methods: tuple[str, ...] = ("GET",)):
    """Decorator of every office view: the office is checked first (404/403, or the login page for
    someone not logged in), then the method (405); the view receives the Office instead of the slug."""
    import functools

    from django.conf import settings
    from django.http import HttpResponseNotAllowed, HttpResponseRedirect
    from django.utils.http import urlencode

    def wrap(view):
        @functools.wraps(view)
        def inner(request, slug, *args, **kwargs):
            if not request.user.is_authenticated:
                return HttpResponseRedirect(f"{settings.LOGIN_URL}?{urlencode({'next': request.path})}")
            office = office_for(request, slug, write=write and request.method != "GET")
            if request.method not in methods:
                return HttpResponseNotAllowed(methods)
            return view(request, office, *args, **kwargs)
        inner.office_view = True
        return inner
    return wrap
