"""The verbs of notes: the only place that writes notes, one transaction each.

Split by product area; every public name is re-exported here, so callers write
`from notes import services` and `services.note_like(...)` whatever module holds the verb.
"""

from notes.models import HASHTAG_PATTERN, hashtags_in
from notes.services.access import (
    board_get_for_owner,
    board_get_for_viewer,
    note_get_for_editing,
    note_get_for_editor,
    note_get_for_reader,
    note_get_published,
)
from notes.services.boards import (
    BOARDS_MAX,
    board_create,
    board_create_and_save,
    board_delete,
    board_fields_clean,
    board_update,
    board_update_by_staff,
)
from notes.services.comments import (
    comment_create,
    comment_deletable_by,
    comment_delete,
    comment_like,
    comment_unlike,
)
from notes.services.discovery import (
    discover_candidates_build,
    discovery_nightly,
    discovery_refresh,
)
from notes.services.hot import hot_list_refresh, hot_topic_rule_remove, hot_topic_rule_set
from notes.services.impressions import (
    impressions_record,
    note_impressions_refresh,
    seen_sets_purge,
)
from notes.services.interactions import (
    note_author_follow,
    note_bookmark,
    note_like,
    note_read,
    note_repost,
    note_unbookmark,
    note_unlike,
    note_unrepost,
)
from notes.services.interests import (
    note_not_interested,
    note_read_record,
    onboarding_interests_choose,
    onboarding_skip,
    reader_interests_update,
)
from notes.services.leaving import account_community_leave, account_engagement_undo
from notes.services.media import note_media_process, note_media_queue, note_media_retry
from notes.services.moderation import (
    author_counters_recount,
    note_counters_recount,
    note_remove,
    note_restore,
    report_dismiss,
    report_uphold,
)
from notes.services.pools import (
    note_traffic_boost,
    note_traffic_hold,
    note_traffic_release,
    traffic_pool_enter,
    traffic_pools_evaluate,
)
from notes.services.products import note_products_count_set
from notes.services.publishing import (
    UNCHANGED,
    NoteChanges,
    NoteContent,
    note_create,
    note_delete,
    note_sponsor_decline,
    note_text_check,
    note_update,
    note_update_by_staff,
)
from notes.services.recalculation import ces_recalculate
from notes.services.reports import report_file, report_target, reports_target_gone
from notes.services.search import (
    hot_queries_refresh,
    note_search_update,
    notes_search_ranks_refresh,
    notes_search_rebuild,
    search_history_clear,
    search_record,
    search_word_add,
    search_word_remove,
    topics_search_update,
)
from notes.services.tags import tag_counts_refresh

__all__ = [
    "note_sponsor_decline",
    "report_dismiss",
    "report_file",
    "report_target",
    "report_uphold",
    "reports_target_gone",
    "account_community_leave",
    "account_engagement_undo",
    "author_counters_recount",
    "HASHTAG_PATTERN",
    "UNCHANGED",
    "NoteChanges",
    "NoteContent",
    "BOARDS_MAX",
    "board_create",
    "board_create_and_save",
    "board_delete",
    "board_fields_clean",
    "board_get_for_owner",
    "board_get_for_viewer",
    "board_update",
    "board_update_by_staff",
    "comment_create",
    "comment_deletable_by",
    "comment_delete",
    "comment_like",
    "comment_unlike",
    "hashtags_in",
    "note_author_follow",
    "note_bookmark",
    "note_counters_recount",
    "note_create",
    "note_delete",
    "note_get_for_editor",
    "note_get_for_editing",
    "note_get_for_reader",
    "note_get_published",
    "note_like",
    "note_media_process",
    "note_media_queue",
    "note_media_retry",
    "note_products_count_set",
    "note_read",
    "note_remove",
    "note_repost",
    "note_restore",
    "note_text_check",
    "note_unbookmark",
    "note_unlike",
    "note_unrepost",
    "note_update",
    "note_update_by_staff",
    # Discovery: impressions, traffic pools, reader interests, candidate lists.
    "ces_recalculate",
    "discover_candidates_build",
    "discovery_nightly",
    "discovery_refresh",
    "impressions_record",
    "note_impressions_refresh",
    "note_not_interested",
    "note_read_record",
    "note_traffic_boost",
    "note_traffic_hold",
    "note_traffic_release",
    "onboarding_interests_choose",
    "onboarding_skip",
    "reader_interests_update",
    "seen_sets_purge",
    "traffic_pool_enter",
    "traffic_pools_evaluate",
    "hot_list_refresh",
    "hot_topic_rule_remove",
    "hot_topic_rule_set",
    "tag_counts_refresh",
    # Search: index rows, the staff dictionary, readers' searches, hot searches.
    "hot_queries_refresh",
    "note_search_update",
    "notes_search_ranks_refresh",
    "notes_search_rebuild",
    "search_history_clear",
    "search_record",
    "search_word_add",
    "search_word_remove",
    "topics_search_update",
]
