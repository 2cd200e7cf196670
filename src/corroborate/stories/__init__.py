"""Stories: near-duplicate reports (MinHash) and story clustering across outlets."""

from corroborate.stories.cluster import ClusterParams, StoryDoc, StoryGroup, cluster_stories
from corroborate.stories.duplicates import Fingerprint, fingerprint
from corroborate.stories.features import date_in_url, story_day, story_vector

__all__ = [
    "ClusterParams",
    "Fingerprint",
    "StoryDoc",
    "StoryGroup",
    "cluster_stories",
    "date_in_url",
    "fingerprint",
    "story_day",
    "story_vector",
]
