from django.core.management.base import BaseCommand

from catalog.images import image_fields, make_renditions, rendition_names


class Command(BaseCommand):
    help = (
        "Make the missing renditions of every stored poster, photo and still, and record "
        "image sizes not yet known. Uploads make their own; run this after changing "
        "IMAGE_RENDITION_WIDTHS or moving media between stores. --all remakes every one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake existing renditions too.")

    def handle(self, *args, **options):
        made = 0
        for model, field in image_fields():
            field_name = field.name
            rows = model._default_manager.exclude(**{field_name: ""}).only(
                field_name, field.width_field, field.height_field
            )
            for row in rows.iterator():
                image = getattr(row, field_name)
                if not image.storage.exists(image.name):
                    self.stderr.write(f"Missing file for {model.__name__} {row.pk}: {image.name}")
                    continue
                width = getattr(row, field.width_field)
                if not width or not getattr(row, field.height_field):
                    # Reading the size from the file itself, once, and keeping it.
                    setattr(row, field.width_field, image.width)
                    setattr(row, field.height_field, image.height)
                    row.save(update_fields=[field.width_field, field.height_field])
                    width = image.width
                names = rendition_names(image.name, width)
                if options["all"] or not all(image.storage.exists(n) for n in names):
                    with image.storage.open(image.name, "rb") as content:
                        make_renditions(image.storage, image.name, content)
                    made += 1
        self.stdout.write(f"Made renditions for {made} image(s).")
