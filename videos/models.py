"""Set videos, the coach's comments on them, and uploads in progress."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from functools import cache

from django.conf import settings
from django.db import models
from django.db.models import (
    Count,
    Exists,
    Expression,
    F,
    Func,
    IntegerField,
    JSONField,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse
from django.utils import dateformat, timezone

from coaches.models import CoachLink
from coaching.models import FormError
from coaching.tempo import LEAST_SECONDS
from training import sides
from training.models import Set, SetQuerySet, Side, TrainingSession
from training.progression import set_name

# A rep at the fastest tempo the log takes (lowering and lifting a second each, the pause and
# the hold left out): a clip shorter than this cannot show a whole one.
SHORTEST_REP_SECONDS = sum(LEAST_SECONDS.values())


# Two uploads of a set alike in these are most likely one file sent twice (no hash is kept).
SAME_FILE_FIELDS = ("upload_size", "duration_seconds")


class VideoStatus(models.TextChoices):
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class SetVideoQuerySet(models.QuerySet["SetVideo"]):
    def visible_to(self, user) -> SetVideoQuerySet:
        """The videos `user` may watch: their own, and those of the athletes they coach
        (CoachLinkQuerySet.athletes_of) while the link is current."""
        return self.filter(Q(owner=user) | Q(owner__in=CoachLink.objects.athletes_of(user)))

    def to_review_by(self, coach) -> SetVideoQuerySet:
        """The ready videos of `coach`'s athletes that `coach` has not marked reviewed (another
        coach's review leaves them here)."""
        reviewed = VideoReview.objects.filter(video=OuterRef("pk"), coach=coach)
        return (
            self.filter(owner__in=CoachLink.objects.athletes_of(coach))
            .exclude(owner=coach)
            .filter(~Exists(reviewed), status=VideoStatus.READY)
        )

    def with_review(self, coach=None) -> SetVideoQuerySet:
        """Each clip with `reviewed_at`: when `coach` marked it reviewed, or without a coach
        (the athlete's lists) the newest review by any of theirs; None when not reviewed."""
        reviews = VideoReview.objects.filter(video=OuterRef("pk"))
        if coach is not None:
            reviews = reviews.filter(coach=coach)
        newest = reviews.order_by("-reviewed_at").values("reviewed_at")[:1]
        return self.annotate(reviewed_at=Subquery(newest))

    def with_athletes_words(self) -> SetVideoQuerySet:
        """Each clip with `athlete_wrote_at`, when its owner last commented on it (a reply or
        a question, which puts it back to review), and `coach_commented`, whether anyone else
        has: what the queue says brought it back."""
        comments = VideoComment.objects.filter(video=OuterRef("pk"))
        by_owner = comments.filter(author=OuterRef("owner"))
        return self.annotate(
            athlete_wrote_at=Subquery(by_owner.order_by("-created_at").values("created_at")[:1]),
            coach_commented=Exists(comments.exclude(author=OuterRef("owner"))),
        )

    def with_set_side_number(self) -> SetVideoQuerySet:
        """Each clip with `set_side_number`, its set's number on its side as the session page
        numbers it (None for a clip of a side), so that SetVideo.set_name can name it."""
        side_number = (
            Set.objects.numbered_up_to(
                OuterRef("set__session"), OuterRef("set__side"), OuterRef("set__position")
            )
            .order_by()
            .values("session")
            .annotate(number=Count("pk"))
            .values("number")[:1]
        )
        return self.annotate(set_side_number=Subquery(side_number))

    def side_clips_of(self, session) -> SetVideoQuerySet:
        """The session's clips of a side (not of one set), by side, newest first, each with
        `unread_comments`, those its owner has not opened yet: what the session page lists."""
        unread = Count(
            "comments",
            filter=Q(comments__seen_at__isnull=True) & ~Q(comments__author=session.user_id),
        )
        return (
            self.filter(session=session, set__isnull=True)
            .annotate(unread_comments=unread)
            .with_outcome()
            .order_by("side", "-created_at", "-pk")
        )

    def with_unread_comments(self, owner) -> SetVideoQuerySet:
        """`owner`'s videos holding comments they have not opened yet, newest first, each
        with `unread_comments`: what Today lists (one query)."""
        unread = Count(
            "comments", filter=Q(comments__seen_at__isnull=True) & ~Q(comments__author=owner)
        )
        return (
            self.filter(owner=owner)
            .with_set_side_number()
            .annotate(unread_comments=unread)
            .filter(unread_comments__gt=0)
            .select_related("set", "session__variation")
            .order_by("-created_at", "-pk")
        )

    def with_outcome(self) -> SetVideoQuerySet:
        """Each clip with `outcome`, what a list says of it (outcome_words), read in the same
        query: not the analysis's whole reading, whose skeleton is large."""
        return self.annotate(outcome=_outcome())

    def stored_bytes(self, user) -> int:
        return self.filter(owner=user).aggregate(total=Coalesce(Sum("size"), 0))["total"]


class SetVideo(models.Model):
    """A clip of one set (or of one side of a session) for the coach to review.

    `original` is the upload as received until the job has processed it, then the same
    streams with every tag and metadata track removed; `rendition` is the H.264/AAC copy
    made when the original will not play in every browser. Nothing is served until ready.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="set_videos"
    )
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="videos")
    set = models.ForeignKey(
        Set, on_delete=models.CASCADE, null=True, blank=True, related_name="videos"
    )
    # For a clip of one side of the session rather than of one set.
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    original = models.FileField(max_length=200)
    original_type = models.CharField(max_length=20, blank=True)
    poster = models.FileField(max_length=200, blank=True)
    rendition = models.FileField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=VideoStatus.choices, default=VideoStatus.PROCESSING
    )
    failure = models.CharField(max_length=300, blank=True)
    # How many times the job has started on it, and when it last did: a job that a killed
    # worker never finished is found by its age and run again (videos/tasks.py).
    attempts = models.PositiveSmallIntegerField(default=0)
    job_started_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(default=0)
    frame_rate = models.FloatField(default=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    # Every stored byte of it (original, poster, rendition): what the quota counts. Until it
    # is processed, the upload and an estimate of its copies (processing.Probe.stored_estimate).
    size = models.PositiveBigIntegerField(default=0)
    # The file's size as it was uploaded (0 for a clip uploaded before it was kept): with its
    # length, how the same file uploaded again is told (same_file_as).
    upload_size = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SetVideoQuerySet.as_manager()

    class Meta:
        db_table = "training_setvideo"  # the table made before the split: nothing renamed
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["owner", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VideoStatus.values), name="setvideo_status_is_known"
            ),
            # Either a set, or a side of the session: never both, never neither.
            models.CheckConstraint(
                condition=(Q(set__isnull=False) & Q(side=""))
                | (Q(set__isnull=True) & Q(side__in=sides.NAMED)),
                name="setvideo_set_or_side",
            ),
            models.CheckConstraint(
                condition=~Q(status=VideoStatus.FAILED) | ~Q(failure=""),
                name="setvideo_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Video of {self.set or self.get_side_display()} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("videos:detail", kwargs={"pk": self.pk})

    def stored_names(self) -> list[str]:
        return [f.name for f in (self.original, self.poster, self.rendition) if f]

    @property
    def set_name(self) -> str:
        """The filmed set as the session page names it, "set 2 on the left" (the number from
        SetVideoQuerySet.with_set_side_number)."""
        return set_name(self.set.side, self.set_side_number)

    def audit_name(self) -> str:
        """The clip as the audit names it: "the video of set 2 on the left, 3 Dec 2026"."""
        if self.set_id:
            of = self.set.name
        else:
            of = "the whole session" if self.side == Side.BOTH else f"the {self.side} side"
        return f"the video of {of}, {dateformat.format(self.session.date, 'j M Y')}"

    @property
    def side_title(self) -> str:
        """What a clip of a side (not of one set) is of, as a heading."""
        return "The whole session" if self.side == Side.BOTH else f"{self.get_side_display()} side"

    @property
    def title(self) -> str:
        """What the clip is of, as a list of them names it: "Set 2 on the left", "Left side"
        (the set's number from SetVideoQuerySet.with_set_side_number)."""
        return self.set_name[:1].upper() + self.set_name[1:] if self.set_id else self.side_title

    @property
    def analysis_said(self) -> str:
        """What a list says of the clip (from SetVideoQuerySet.with_outcome)."""
        return outcome_words(self.outcome)

    def same_file_as(self) -> SetVideo | None:
        """The newest earlier clip of the same set (or side) uploaded from a file of the same
        size and length: most likely the same file sent twice."""
        if not self.upload_size:
            return None
        return (
            SetVideo.objects.filter(
                owner=self.owner_id,
                session=self.session_id,
                set=self.set_id,
                side=self.side,
                pk__lt=self.pk,
                **{name: getattr(self, name) for name in SAME_FILE_FIELDS},
            )
            .order_by("-pk")
            .first()
        )

    @property
    def too_short_for_a_rep(self) -> bool:
        """Shorter than one rep at the fastest tempo (a length of 0 is not known yet)."""
        return 0 < self.duration_seconds < SHORTEST_REP_SECONDS

    @property
    def playback_type(self) -> str:
        return "video/mp4" if self.rendition else self.original_type


class VideoReview(models.Model):
    """A coach marked a video reviewed, for themself: the athlete's other coaches still have
    it to review. The athlete's reply or question takes every review of it back
    (services.add_comment): the video is to review again for each of their coaches."""

    video = models.ForeignKey(SetVideo, on_delete=models.CASCADE, related_name="reviews")
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["video", "coach"], name="videoreview_once_per_coach")
        ]

    def __str__(self) -> str:
        return f"{self.video} reviewed by {self.coach}"


class VideoCommentQuerySet(models.QuerySet["VideoComment"]):
    def form_errors_on_sets(self, *, seen_only: bool) -> VideoCommentQuerySet:
        """Comments naming a form error on a set's video: they count like the trainee's own
        flag on that set (a side's video has no set to count on). In the review queue at
        once; in the trainee's progression only once they have seen it."""
        tagged = self.filter(form_error__isnull=False, video__set__isnull=False)
        return tagged.filter(seen_at__isnull=False) if seen_only else tagged


class VideoComment(models.Model):
    """A coach's remark pinned to a moment of the clip, optionally naming a form error."""

    video = models.ForeignKey(SetVideo, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at_seconds = models.DecimalField(max_digits=6, decimal_places=2)
    text = models.CharField(max_length=1000, blank=True)
    form_error = models.ForeignKey(
        FormError, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # When the athlete first opened the video page with this comment on it: a tagged form
    # error counts in their progression from then on (training/level.py).
    seen_at = models.DateTimeField(null=True, blank=True)
    # The form's, so the same post twice saves one (core.submissions.create_once); none
    # for a comment made otherwise (a suggestion confirmed, the admin, the shell).
    submission_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = VideoCommentQuerySet.as_manager()

    class Meta:
        db_table = "training_videocomment"  # the table made before the split: nothing renamed
        ordering = ["at_seconds", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(at_seconds__gte=0, at_seconds__lte=600),
                name="videocomment_moment_in_range",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | Q(form_error__isnull=False),
                name="videocomment_says_something",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at_seconds} s: {self.text[:50] or self.form_error}"


class VideoUploadQuerySet(models.QuerySet["VideoUpload"]):
    def expired(self, now=None) -> VideoUploadQuerySet:
        return self.filter(expires_at__lte=now or timezone.now())

    def pending_bytes(self, user) -> int:
        """What the user's unfinished uploads will take: counted against the quota while open."""
        return self.filter(owner=user).aggregate(total=Coalesce(Sum("size"), 0))["total"]


class VideoUpload(models.Model):
    """A clip arriving in chunks, which a dropped connection does not start over.

    Each chunk is stored, through the storage API, under `chunk_folder` named by its offset;
    `received` counts the bytes kept so far, in order. The last chunk turns them into a
    SetVideo (videos/services.py, finish_upload) and this row and its chunks go. An upload
    left unfinished goes when it expires (a job queued for that moment, and requeue_videos).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="video_uploads"
    )
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    set = models.ForeignKey(Set, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    side = models.CharField(max_length=7, choices=Side.choices, blank=True)
    size = models.PositiveBigIntegerField()
    received = models.PositiveBigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = VideoUploadQuerySet.as_manager()

    class Meta:
        db_table = "training_videoupload"  # the table made before the split: nothing renamed
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gt=0) & Q(received__lte=F("size")),
                name="videoupload_received_within_size",
            ),
            models.CheckConstraint(
                condition=(Q(set__isnull=False) & Q(side=""))
                | (Q(set__isnull=True) & Q(side__in=sides.NAMED)),
                name="videoupload_set_or_side",
            ),
        ]

    def __str__(self) -> str:
        return f"Upload {self.pk}: {self.received} of {self.size} bytes"

    def get_absolute_url(self) -> str:
        return reverse("videos:upload", kwargs={"pk": self.pk})

    @property
    def chunk_folder(self) -> str:
        # Under videos/, which only the checked views serve (hipthrust/views.py).
        return f"videos/uploads/{self.owner_id}/{self.pk.hex}"

    def chunk_name(self, offset: int) -> str:
        return f"{self.chunk_folder}/{offset:012d}.part"


def with_error_count(sets: SetQuerySet) -> SetQuerySet:
    """`sets` with `error_count`: the trainee's own form-error flags on each set, and the other
    form errors their coach tagged on the set's video that they have seen (training/level.py)."""
    return sets.annotate(error_count=_error_count())


# Built once a process, as the annotations of the views are: building its subqueries
# costs Today more than compiling them. It names no trainee, only the set (OuterRef).
@cache
def _error_count() -> Expression:
    tagged = (
        VideoComment.objects.form_errors_on_sets(seen_only=True)
        .filter(video__set=OuterRef("pk"))
        .exclude(
            form_error__in=Set.form_errors.through.objects.filter(
                set=OuterRef("video__set")
            ).values("formerror")
        )
        .order_by()
        .values("video__set")
        .annotate(count=Count("form_error", distinct=True))
        .values("count")
    )
    # A set holds a form error once (the through table's pairs are unique): its rows count
    # the flags. In a subquery, not a join: the sets are not grouped, so neither is what
    # they are read with.
    flagged = (
        Set.form_errors.through.objects.filter(set=OuterRef("pk"))
        .order_by()
        .values("set")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(flagged, output_field=IntegerField()), 0) + Coalesce(
        Subquery(tagged, output_field=IntegerField()), 0
    )


def mark_same_files(clips: list[SetVideo]) -> None:
    """Give each of one set's (or side's) clips `same_as`: the newest earlier one uploaded
    from a file of the same size and length (SetVideo.same_file_as), or None."""
    seen: dict[tuple, SetVideo] = {}
    for clip in sorted(clips, key=lambda clip: clip.pk):
        key = tuple(getattr(clip, name) for name in SAME_FILE_FIELDS)
        clip.same_as = seen.get(key) if clip.upload_size else None
        seen[key] = clip


class _JSONArrayLength(Func):
    """The length of a JSON array, NULL for none, on both engines."""

    function = "JSON_ARRAY_LENGTH"
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, function="JSONB_ARRAY_LENGTH", **extra_context)


def _outcome() -> JSONObject:
    """A clip's state and its analysis's, as outcome_words reads them: one JSON object, so a
    list of sets reads it for each set's newest clip in one subquery."""
    return JSONObject(
        status="status",
        seconds="duration_seconds",
        analysis="analysis__status",
        reps=_JSONArrayLength(KeyTransform("reps", "analysis__result")),
        declined=KeyTextTransform("0", KeyTransform("declined", "analysis__result")),
    )


_FIRST_CLAUSE = re.compile(r"[:(,]|\.(?:\s|$)")


def outcome_words(outcome: dict) -> str:
    """What a list says of a clip, briefly: "processing", then what the camera made of it
    ("5 reps read", "could not judge: <the first reason, its first clause>", "being read")."""
    if outcome["status"] == VideoStatus.PROCESSING:
        return "processing"
    if outcome["status"] == VideoStatus.FAILED:
        return "could not be processed"
    match outcome["analysis"]:
        case None:
            return "not analysed"  # uploaded before the camera read reps
        case AnalysisStatus.WAITING:
            return "being read"
        case AnalysisStatus.FAILED:
            return "the camera could not read it"
        case AnalysisStatus.DECLINED:
            seconds = outcome["seconds"] or 0
            if 0 < seconds < SHORTEST_REP_SECONDS:
                length = f"{seconds:.1f}".removesuffix(".0")
                return f"could not judge: too short ({length} s)"
            # The first reason up to its first pause: a few words, said in full on its page.
            reason = _FIRST_CLAUSE.split(outcome["declined"] or "", maxsplit=1)[0].strip()
            return (
                f"could not judge: {reason[:1].lower()}{reason[1:]}"
                if reason
                else "could not judge"
            )
    reps = outcome["reps"] or 0
    return f"{reps} rep{'s' if reps != 1 else ''} read" if reps else "no rep found"


def with_video_marks(sets: SetQuerySet) -> SetQuerySet:
    """`sets` with what a set row shows of its videos, in the one query that lists them:
    `video_pk`, its newest video (None without one), and `video_outcome`, what a list says
    of it (outcome_words); `unread_comments`, the comments on its videos the owner has not
    opened yet, and `unread_video_pk`, the newest video holding some (where the badge
    leads)."""
    videos = SetVideo.objects.filter(set=OuterRef("pk")).order_by("-created_at", "-pk")
    unread = VideoComment.objects.filter(video__set=OuterRef("pk"), seen_at__isnull=True).exclude(
        author=OuterRef("session__user")
    )
    counted = unread.order_by().values("video__set").annotate(count=Count("pk")).values("count")
    return sets.annotate(
        video_pk=Subquery(videos.values("pk")[:1]),
        video_outcome=Subquery(videos.values(said=_outcome())[:1], output_field=JSONField()),
        unread_comments=Coalesce(Subquery(counted, output_field=IntegerField()), 0),
        unread_video_pk=Subquery(
            unread.order_by("-video__created_at", "-video_id").values("video_id")[:1]
        ),
    )


class AnalysisStatus(models.TextChoices):
    WAITING = "waiting", "Waiting"
    DONE = "done", "Done"
    # The clip was read but the person was not seen well enough: `result["declined"]` says why.
    DECLINED = "declined", "Declined"
    # The analysis could not run (`failure` says why); the video itself is unaffected.
    FAILED = "failed", "Failed"


class TempoSource(models.TextChoices):
    """Where the tempo an analysis measured against came from (videos/analysis.py,
    prescribed_tempo)."""

    PRESCRIPTION = "prescription", "The coach's prescription"
    LOGGED = "logged", "The tempo logged"


class SuggestionAnswer(models.TextChoices):
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"


class VideoAnalysis(models.Model):
    """What the camera read in a ready set video, rep by rep (videos/form_analysis.py).

    `result` is `FormAnalysis.as_json()` without its guess of the working leg (the side is
    the app's: the video's set or side), plus `skeleton`, the few joints of each analysed
    frame that the page draws over the video. `answers` holds the coach's reply to each
    suggested form error, by its key (videos/services.py, suggestion_key).
    """

    video = models.OneToOneField(SetVideo, on_delete=models.CASCADE, related_name="analysis")
    status = models.CharField(
        max_length=10, choices=AnalysisStatus.choices, default=AnalysisStatus.WAITING
    )
    result = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=300, blank=True)
    model = models.CharField(max_length=100, blank=True)
    model_version = models.CharField(max_length=40, blank=True)
    # What the reps were read against: the prescription's tempo, else the set's; and which of
    # the two it was (blank with no tempo, and for an analysis made before it was kept).
    prescribed_tempo = models.CharField(max_length=11, blank=True)
    tempo_source = models.CharField(max_length=12, choices=TempoSource.choices, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    # As SetVideo's: runs a killed worker never finished are found by their age.
    attempts = models.PositiveSmallIntegerField(default=0)
    job_started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "video analyses"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AnalysisStatus.values),
                name="videoanalysis_status_is_known",
            ),
            models.CheckConstraint(
                condition=~Q(status=AnalysisStatus.FAILED) | ~Q(failure=""),
                name="videoanalysis_failure_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Analysis of video {self.video_id} ({self.get_status_display()})"

    # Ours: an analysis usually takes about a minute; waiting past this, the page says so.
    LATE_AFTER = timedelta(minutes=3)

    @property
    def is_late(self) -> bool:
        """Still waiting well past the usual minute (a busy or restarted worker)."""
        since = self.job_started_at or self.created_at
        waiting = self.status == AnalysisStatus.WAITING
        return waiting and since is not None and timezone.now() - since > self.LATE_AFTER
