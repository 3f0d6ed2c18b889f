"""Take over and reassign in the admin, for every model that subclasses Assignment."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .assignment import AssignmentRules, assignment_reassign, assignment_take_over
from .errors import PortalError

TAKE_OVER = "_take_over"


class AssignmentAdminMixin:
    """The "Take over" button and list action, and reassigning through the `assigned_to` field.

    Set `assignment_rules` and call `assignment_save()` from `save_model`. The button is shown
    to clerks who may change the item, while it is not finished and not already theirs.
    """

    assignment_rules: AssignmentRules
    actions = ["take_over"]
    # Fields whose change goes through a service: compared with the value the page was loaded
    # with, not with the row as it is now, so saving a stale page never undoes a colleague's
    # change made meanwhile (e.g. reopens a closed request or hands back a taken-over one).
    stale_safe_fields: tuple[str, ...] = ("assigned_to",)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        for name in self.stale_safe_fields:
            if name in form.base_fields:
                form.base_fields[name].show_hidden_initial = True
        return form

    # Tenants create these items; clerks work on them and never delete them.
    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("overdue"), boolean=True)
    def is_overdue(self, obj):
        return bool(obj.is_open and obj.due_date and obj.due_date < timezone.localdate())

    def assignment_save(self, request, obj, form) -> None:
        """Hand the item to the clerk chosen in the form, or tell the clerk why not."""
        if "assigned_to" not in form.changed_data:
            return
        try:
            assignment_reassign(
                rules=self.assignment_rules, item=obj, clerk=obj.assigned_to, by=request.user
            )
        except PortalError as error:
            self.message_user(request, error.message, messages.ERROR)
            # Neither "changed successfully" nor an admin log entry for what did not happen.
            request._assignment_refused = True

    def log_change(self, request, obj, message):
        if getattr(request, "_assignment_refused", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        if TAKE_OVER in request.POST:
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            try:
                assignment_take_over(rules=self.assignment_rules, item=obj, clerk=request.user)
            except PortalError as error:
                self.message_user(request, error.message, messages.ERROR)
            else:
                self.message_user(request, _("You are handling this now."), messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        if getattr(request, "_assignment_refused", False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["can_take_over"] = (
            obj is not None
            and self.has_change_permission(request, obj)
            and not self.assignment_rules.is_finished(obj)
            and obj.assigned_to_id != request.user.pk
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    @admin.action(description=_("Take over (assign to me)"), permissions=["change"])
    def take_over(self, request, queryset):
        taken = 0
        for item in queryset:
            try:
                assignment_take_over(rules=self.assignment_rules, item=item, clerk=request.user)
            except PortalError as error:
                self.message_user(request, f"{item}: {error.message}", messages.ERROR)
            else:
                taken += 1
        if taken:
            self.message_user(
                request,
                ngettext("%(count)d item taken over.", "%(count)d items taken over.", taken)
                % {"count": taken},
                messages.SUCCESS,
            )
