"""The verbs of accounts and growth: the only place that writes users' tables.

Split by product area; every public name is re-exported here, so callers write
`from users import services` and `services.user_follow(...)` whatever module holds the verb.
"""

from users.services.accounts import (
    SELF_CHOSEN_KINDS,
    user_account_create,
    user_account_erase,
    user_accounts_delete,
    user_avatar_check,
    user_avatar_variants_make,
    user_ban,
    user_cart_units_set,
    user_follow,
    user_follow_counters_recount,
    user_follows_end,
    user_profile_update,
    user_received_add,
    user_received_correct,
    user_set_verified,
    user_signup,
    user_unfollow,
)
from users.services.digests import (
    notification_digest_send,
    notification_digests_send,
    user_digest_settings_update,
)
from users.services.growth import (
    ACTIONS,
    growth_counters_decrease,
    growth_counters_recount,
    growth_level_award,
    growth_level_banner_take,
    growth_level_raise,
    growth_levels_raise,
    growth_record,
    growth_sources,
)
from users.services.notifications import (
    TABS,
    notification_add,
    notification_mentions,
    notification_open,
    notification_take_back,
    notifications_mark_read,
    notifications_take_back_all,
)
from users.services.points import points_grant, points_spend
from users.services.search import creator_search_update, creators_search_rebuild
from users.services.sign_ins import (
    SIGN_IN_REWARDS,
    sign_in_next_streak,
    sign_in_reward,
    sign_in_today,
)

__all__ = [
    "creator_search_update",
    "creators_search_rebuild",
    "ACTIONS",
    "SELF_CHOSEN_KINDS",
    "TABS",
    "growth_counters_decrease",
    "growth_counters_recount",
    "growth_level_award",
    "growth_level_banner_take",
    "growth_level_raise",
    "growth_levels_raise",
    "growth_record",
    "growth_sources",
    "notification_add",
    "notification_digest_send",
    "notification_digests_send",
    "notification_mentions",
    "notification_open",
    "notification_take_back",
    "notifications_take_back_all",
    "notifications_mark_read",
    "points_grant",
    "points_spend",
    "SIGN_IN_REWARDS",
    "sign_in_next_streak",
    "sign_in_reward",
    "sign_in_today",
    "user_account_create",
    "user_accounts_delete",
    "user_avatar_check",
    "user_avatar_variants_make",
    "user_cart_units_set",
    "user_digest_settings_update",
    "user_follow",
    "user_follow_counters_recount",
    "user_follows_end",
    "user_account_erase",
    "user_ban",
    "user_profile_update",
    "user_received_add",
    "user_received_correct",
    "user_set_verified",
    "user_signup",
    "user_unfollow",
]
