from django.contrib import admin

from .models import Review


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["title", "film", "author", "author_name", "rating", "status", "published_at"]
    list_filter = ["status", "is_spoiler", "rating"]
    list_select_related = ["film", "author"]
    search_fields = ["title", "body", "author__username", "author_name", "film__title"]
    autocomplete_fields = ["film", "author"]
    readonly_fields = ["helpful_count", "created_at", "updated_at"]
