"""Login (throttled, audited), logout, the office list and the admin's "new office" form."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST

from renstra_gen.web import engine
from renstra_gen.web.audit.models import Event, log
from renstra_gen.web.kantor.access import can_write, require_admin, role_of, visible_offices
from renstra_gen.web.kantor.models import Office


class LoginForm(forms.Form):
    username = forms.CharField(label="Nama akun", max_length=150)
    password = forms.CharField(label="Kata sandi", widget=forms.PasswordInput)


def _throttled(username: str, address: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    failures = Event.objects.filter(action="masuk-gagal", when__gte=since)
    limit = settings.LOGIN_FAILURES_ALLOWED
    return failures.filter(username=username).count() >= limit or failures.filter(address=address).count() >= 4 * limit


@require_http_methods(["GET", "POST"])
def masuk(request):
    form = LoginForm(request.POST or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        address = request.META.get("REMOTE_ADDR", "")
        if _throttled(username, address):
            error = "Terlalu banyak percobaan masuk yang gagal. Coba lagi 15 menit lagi."
            log(request, "masuk-ditolak", username=username)
            status = 429
        else:
            user = authenticate(request, username=username, password=form.cleaned_data["password"])
            if user is None:
                log(request, "masuk-gagal", username=username)
                error = "Nama akun atau kata sandi salah."
                status = 401
            else:
                login(request, user)
                log(request, "masuk")
                target = request.GET.get("next", "/")
                if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
                    target = "/"
                return HttpResponseRedirect(target)
    return render(request, "ruang/masuk.html", {"form": form, "error": error}, status=status)


@require_POST
def keluar(request):
    if request.user.is_authenticated:
        log(request, "keluar")
    logout(request)
    return HttpResponseRedirect("/masuk/")


def daftar(request):
    if not request.user.is_authenticated:
        return HttpResponseRedirect(f"{settings.LOGIN_URL}?next=/")
    offices = [{"office": o, "write": can_write(request.user, o)} for o in visible_offices(request.user)]
    return render(request, "ruang/daftar.html", {"offices": offices, "role": role_of(request.user)})


class OfficeForm(forms.Form):
    perangkat_daerah = forms.CharField(label="Nama perangkat daerah", max_length=150,
                                       help_text="contoh: Dinas Pemberdayaan Perempuan dan Perlindungan Anak")
    singkatan = forms.SlugField(label="Kode singkat (untuk alamat)", max_length=40,
                                help_text="huruf kecil, angka dan tanda hubung, contoh: dp3a")
    daerah = forms.CharField(label="Daerah", max_length=100, help_text="contoh: Kabupaten Belu")
    periode = forms.RegexField(label="Periode", regex=r"^\d{4}-\d{4}$", help_text="contoh: 2025-2029")
    bidang = forms.MultipleChoiceField(label="Bidang urusan (dari nomenklatur)", widget=forms.SelectMultiple(attrs={"size": 12}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bidang"].choices = engine.bidang_choices()

    def clean_singkatan(self):
        slug = slugify(self.cleaned_data["singkatan"])
        if Office.objects.filter(slug=slug).exists():
            raise forms.ValidationError("Kode ini sudah dipakai perangkat daerah lain.")
        return slug


@require_http_methods(["GET", "POST"])
def kantor_baru(request):
    require_admin(request)
    form = OfficeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        office = Office(slug=d["singkatan"], nama=f'{d["perangkat_daerah"]} {d["daerah"]}'
                        if d["daerah"].casefold() not in d["perangkat_daerah"].casefold() else d["perangkat_daerah"],
                        bidang=", ".join(d["bidang"]), periode=d["periode"])
        try:
            office.folder.mkdir(parents=True, exist_ok=True)
            engine.new_office_content(office.content, d["bidang"], d["perangkat_daerah"], d["daerah"], d["periode"],
                                      author_of(request.user))
        except engine.EngineError as e:
            error = str(e)
        else:
            office.save()
            log(request, "kantor-baru", office, ", ".join(d["bidang"]))
            return HttpResponseRedirect(f"/k/{office.slug}/")
    return render(request, "ruang/kantor_baru.html", {"form": form, "error": error})


def author_of(user) -> tuple[str, str]:
    name = user.get_full_name() or user.get_username()
    return name, user.email or f"{user.get_username()}@ruang-kerja.invalid"


class AccountForm(forms.Form):
    username = forms.RegexField(label="Nama akun", regex=r"^[a-z0-9._-]{3,40}$", max_length=40,
                                help_text="huruf kecil, angka, titik, garis bawah atau tanda hubung")
    nama = forms.CharField(label="Nama lengkap", max_length=150)
    email = forms.EmailField(label="Surel", required=False)
    nip = forms.CharField(label="NIP", max_length=30, required=False)
    peran = forms.ChoiceField(label="Peran")
    kantor = forms.ModelChoiceField(label="Perangkat daerah (penyusun dan kepala)", queryset=Office.objects.all(),
                                    required=False)
    password = forms.CharField(label="Kata sandi awal", widget=forms.PasswordInput, min_length=10)

    def __init__(self, *args, **kwargs):
        from renstra_gen.web.kantor.models import Role

        super().__init__(*args, **kwargs)
        self.fields["peran"].choices = Role.choices

    def clean_username(self):
        from django.contrib.auth.models import User

        name = self.cleaned_data["username"]
        if User.objects.filter(username=name).exists():
            raise forms.ValidationError("Nama akun ini sudah dipakai.")
        return name

    def clean(self):
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        if data.get("peran") in ("penyusun", "kepala") and not data.get("kantor"):
            self.add_error("kantor", "Penyusun dan kepala harus terhubung ke satu perangkat daerah.")
        if data.get("password"):
            try:
                validate_password(data["password"])
            except forms.ValidationError as e:
                self.add_error("password", e)
        return data


@require_http_methods(["GET", "POST"])
def akun_baru(request):
    """A new account with its role (and office); the Django admin remains for everything else."""
    from django.contrib.auth.models import User

    from renstra_gen.web.kantor.models import Profile, Role

    require_admin(request)
    form = AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        first, _, last = d["nama"].partition(" ")
        role = d["peran"]
        user = User.objects.create_user(d["username"], d["email"], d["password"], first_name=first, last_name=last,
                                        is_staff=role == Role.ADMIN, is_superuser=role == Role.ADMIN)
        Profile.objects.create(user=user, role=role, nip=d["nip"],
                               office=d["kantor"] if role in (Role.PENYUSUN, Role.KEPALA) else None)
        log(request, "akun-baru", d["kantor"], f"{user.username} ({role})")
        from django.contrib import messages

        messages.success(request, f"Akun {user.username} ({dict(Role.choices)[role]}) dibuat.")
        return HttpResponseRedirect("/")
    return render(request, "ruang/akun_baru.html", {"form": form})
