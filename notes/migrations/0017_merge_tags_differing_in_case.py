"""Tags that differ only in case become one: #OOTD and #ootd were two topics (two tag pages,
two hot-list places, two interests) because taggit compared names case-sensitively. From now
on it compares them without case (settings.TAGGIT_CASE_INSENSITIVE); this merges the
duplicates already made into the oldest of each group."""

from collections import defaultdict

from django.db import migrations


def tags_merge_by_case(apps, schema_editor):
    Tag = apps.get_model("taggit", "Tag")
    TaggedNote = apps.get_model("notes", "TaggedNote")
    HotTopicRule = apps.get_model("notes", "HotTopicRule")
    ReaderInterest = apps.get_model("notes", "ReaderInterest")
    groups = defaultdict(list)
    for tag in Tag.objects.order_by("pk").only("pk", "name", "slug"):
        groups[tag.name.casefold()].append(tag)
    for same in groups.values():
        if len(same) < 2:
            continue
        kept, merged = same[0], same[1:]
        for tag in merged:
            # A note with both keeps one row; the others move to the kept tag.
            with_kept = TaggedNote.objects.filter(tag=kept).values("content_object_id")
            TaggedNote.objects.filter(tag=tag, content_object_id__in=with_kept).delete()
            TaggedNote.objects.filter(tag=tag).update(tag=kept)
            if not HotTopicRule.objects.filter(tag=kept).exists():
                HotTopicRule.objects.filter(tag=tag).update(tag=kept)
            for interest in ReaderInterest.objects.filter(weights__has_key=tag.slug):
                weight = interest.weights.pop(tag.slug)
                interest.weights[kept.slug] = interest.weights.get(kept.slug, 0.0) + weight
                interest.save(update_fields=["weights"])
        # The rest (hot-list places, search rows, rules left over) go with the merged tags;
        # the periodic tasks recount and rebuild them for the kept one.
        Tag.objects.filter(pk__in=[tag.pk for tag in merged]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notes", "0016_search_likes_on_the_index"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(tags_merge_by_case, migrations.RunPython.noop)]
