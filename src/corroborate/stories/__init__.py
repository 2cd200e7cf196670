"""Stories: near-duplicate reports (MinHash) and story clustering across outlets."""

from corroborate.stories.cluster import StoryDoc, StoryGroup, StoryModel, cluster_stories
from corroborate.stories.duplicates import Fingerprint, fingerprint
from corroborate.stories.features import (
    Days,
    date_in_url,
    days_apart,
    story_days,
    story_vector,
)

__all__ = [
    "Days",
    "Fingerprint",
    "StoryDoc",
    "StoryGroup",
    "StoryModel",
    "cluster_stories",
    "date_in_url",
    "days_apart",
    "fingerprint",
    "story_days",
    "story_vector",
]
