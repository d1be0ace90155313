"""The curators' page for the matcher's policy levers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from helix.core.history import Channel, history_context
from helix.core.permissions import is_curator

from .models import MatchingPolicy
from .policy import set_policy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = MatchingPolicy
        fields = ["startup_boost", "open_standards_boost"]


class PolicyView(LoginRequiredMixin, FormView):
    template_name = "matching/policy.html"
    form_class = PolicyForm

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not is_curator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "instance": MatchingPolicy.current()}

    def form_valid(self, form: PolicyForm) -> HttpResponse:
        with history_context(channel=Channel.WEB, user=self.request.user):
            set_policy(
                user=self.request.user,
                startup_boost=form.cleaned_data["startup_boost"],
                open_standards_boost=form.cleaned_data["open_standards_boost"],
            )
        messages.success(self.request, _("The matching policy was saved. Rankings use it from now on."))
        return redirect(self.request.path)
