from django import forms
from django.contrib import admin, messages

from catalog.history_admin import HistoryAdmin

from . import services
from .forms import POINT_CHOICES
from .history import set_status_with_history
from .models import Rating, Review, ReviewReport


class ReviewAdminForm(forms.ModelForm):
    """The review's fields plus its stars, which are saved to its Rating row."""

    points = forms.TypedChoiceField(
        label="Rating",
        choices=[("", "No rating"), *POINT_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="Points out of 10, kept in the review's rating.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial.setdefault("points", self.instance.rating)


class ReviewReportInline(admin.TabularInline):
    model = ReviewReport
    fields = ["reporter", "reason", "note", "resolved", "created_at"]
    readonly_fields = ["reporter", "reason", "note", "created_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Review)
class ReviewAdmin(HistoryAdmin):
    form = ReviewAdminForm
    list_display = [
        "title",
        "film",
        "author",
        "author_name",
        "points",
        "status",
        "helpful_count",
        "published_at",
    ]
    list_filter = ["status", "is_spoiler", "rating_row__points"]
    list_select_related = ["film", "author", "rating_row"]
    search_fields = ["title", "body", "author__username", "author_name", "film__title"]
    autocomplete_fields = ["film", "author"]
    readonly_fields = ["helpful_count", "created_at", "updated_at"]
    actions = ["hide_reviews", "restore_reviews"]
    inlines = [ReviewReportInline]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # Moving a review to another film or author would orphan counters
            # and ratings; a fan's stars are changed by the fan, not staff.
            fields += ["film", "author"]
            if obj.author_id:
                fields.append("points")
        return fields

    @admin.display(description="Rating", ordering="rating_row__points")
    def points(self, review):
        return review.rating

    def save_model(self, request, obj, form, change):
        # Through the service: the stars go to the Rating row, and the film's
        # counters follow whatever changed. A fan's stars (read-only here) stay.
        if "points" in form.fields:
            services.save_review(obj, form.cleaned_data["points"])
        else:
            services.save_review(obj)

    def delete_model(self, request, obj):
        services.delete_review(obj)

    def delete_queryset(self, request, queryset):
        for review in queryset.select_related("film"):
            services.delete_review(review)

    @admin.action(description="Hide selected reviews from the site", permissions=["change"])
    def hide_reviews(self, request, queryset):
        changed = set_status_with_history(queryset, Review.Status.HIDDEN, request.user)
        self.message_user(request, f"{changed} review(s) hidden.", messages.SUCCESS)

    @admin.action(description="Restore selected reviews to the site", permissions=["change"])
    def restore_reviews(self, request, queryset):
        changed = set_status_with_history(queryset, Review.Status.PUBLISHED, request.user)
        self.message_user(request, f"{changed} review(s) restored.", messages.SUCCESS)


@admin.register(ReviewReport)
class ReviewReportAdmin(admin.ModelAdmin):
    list_display = ["review", "review_status", "reason", "reporter", "created_at", "resolved"]
    list_filter = ["resolved", "reason", "review__status"]
    list_select_related = ["review__film", "review__author", "reporter"]
    search_fields = ["review__title", "note", "reporter__username"]
    readonly_fields = ["review", "reporter", "reason", "note", "created_at"]
    actions = ["hide_reported_reviews", "mark_resolved"]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Review status")
    def review_status(self, report):
        return report.review.get_status_display()

    @admin.action(description="Hide the reported reviews and resolve", permissions=["change"])
    def hide_reported_reviews(self, request, queryset):
        reviews = Review.objects.filter(pk__in=queryset.values("review_id"))
        changed = set_status_with_history(reviews, Review.Status.HIDDEN, request.user)
        queryset.update(resolved=True)
        self.message_user(request, f"{changed} review(s) hidden.", messages.SUCCESS)

    @admin.action(description="Mark selected reports resolved", permissions=["change"])
    def mark_resolved(self, request, queryset):
        self.message_user(request, f"{queryset.update(resolved=True)} report(s) resolved.")


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["film", "user", "review", "points", "updated_at"]
    list_select_related = ["film", "user", "review__film", "review__author"]
    list_filter = ["points"]
    search_fields = ["film__title", "user__username", "review__author_name"]
    readonly_fields = ["film", "user", "review", "points", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        # Ratings belong to fans: staff may look and remove, not change.
        return False

    def delete_model(self, request, obj):
        services.delete_rating(obj)

    def delete_queryset(self, request, queryset):
        for rating in queryset:
            services.delete_rating(rating)
