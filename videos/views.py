"""Set videos: the athlete uploads and deletes, the coach comments and marks reviewed, and
both watch, through a view that checks who asks for every byte.

A video exists only for its owner and their currently linked coaches; for anyone else,
and for a coach the moment the link ends, every address here answers 404.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import dateformat, timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseLocation

from coaches.models import AuditEntry, CoachLink
from core import throttle
from core.ranged import POSITION, ranged_file_response
from core.submissions import SubmissionConflict
from core.text import counted
from training.forms import SetEditForm
from training.lookups import get_session_for_user, get_set_for_user
from training.models import Side
from training.session_page import session_context, unit_of_request
from videos import analysis as camera
from videos import processing as video
from videos import services as videos
from videos.forms import VideoCommentForm, VideoUploadForm
from videos.models import (
    SHORTEST_REP_SECONDS,
    AnalysisStatus,
    SetVideo,
    VideoAnalysis,
    VideoReview,
    VideoStatus,
    VideoUpload,
    mark_same_files,
)

_CONTENT_RANGE = re.compile(
    rf"^bytes (?P<first>{POSITION})-(?P<last>{POSITION})/(?P<size>{POSITION})$"
)


# Where the athlete would reply or ask, once no coach follows the video (the link ended), and
# to a reply still posted from a page opened before.
NO_COACH = (
    "No coach follows this video now: your coaching has ended, so a reply or question here "
    "would reach no one. The comments stay here for you to read."
)
NO_COACH_REFUSED = (
    "No coach follows this video now: your coaching has ended, so your reply was not sent or saved."
)


def _followed_by_a_coach(clip: SetVideo) -> bool:
    """Whether a coach follows the clip's owner now (a current link, CoachLinkQuerySet's
    rule): who the athlete's replies and questions go to."""
    return CoachLink.objects.current().filter(athlete_id=clip.owner_id).exists()


# Said once, at the top of the video page: still true once the video is processed, which the
# page itself shows in place (its status asks again until then).
UPLOADED = "Video uploaded."
# The tag of a message said in place, beside the form it is about, not atop the page (base.html).
SAID_IN_PLACE = "in-place"


def _get_video_for_user(request: HttpRequest, pk: int) -> SetVideo:
    """The owner's or their linked coach's video, or 404."""
    return get_object_or_404(
        SetVideo.objects.visible_to(request.user).select_related("owner", "set", "session"), pk=pk
    )


def _get_video_for_coach(request: HttpRequest, pk: int) -> SetVideo:
    clip = _get_video_for_user(request, pk)
    if clip.owner_id == request.user.pk:
        raise Http404("No such video.")
    return clip


def _get_session_side_for_user(request: HttpRequest, pk: int, side: str) -> videos.Target:
    session = get_session_for_user(request, pk)
    if side not in session.video_sides:
        raise Http404("The session has no such side.")
    return videos.Target(session, side=side)


def _rate_limited(request: HttpRequest) -> str:
    """A sentence when the user has uploaded the most we take this hour, else ""; counts one,
    which _refused gives back if the file is refused before it is kept."""
    limit = settings.VIDEO_UPLOADS_PER_HOUR
    if throttle.allow("video-upload", str(request.user.pk), limit=limit, window=60 * 60):
        return ""
    minutes = throttle.free_in("video-upload", str(request.user.pk), limit=limit)
    when = f"in {counted(minutes, 'minute')}" if minutes else "later"
    uploaded = counted(limit, "video")
    return f"You have uploaded {uploaded} in the last hour, the most we take; try again {when}."


def _refused(request: HttpRequest) -> None:
    """A refused file is no upload: a few wrong files lock no one out of the hour's."""
    limit = settings.VIDEO_UPLOADS_PER_HOUR
    throttle.give_back("video-upload", str(request.user.pk), limit=limit)


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def set_video(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a clip to one of the user's sets; its videos are listed under the form."""
    target = get_set_for_user(request, pk)
    return _video_page(request, videos.Target.of_set(target), target.videos.with_review())


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def side_video(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    """Attach a clip of one side of the session (several sets, or the whole session)."""
    target = _get_session_side_for_user(request, pk, side)
    clips = target.session.videos.filter(set__isnull=True, side=side).with_review()
    return _video_page(request, target, clips)


def _video_page(request: HttpRequest, target: videos.Target, clips) -> HttpResponse:
    """The upload form with the target's videos: the plain form is the path without the
    page's script, which sends the file in chunks instead (video_upload_start)."""
    status = 200
    label = "Video of this set" if target.set else "Video of this side"
    if request.method == "POST":
        form = VideoUploadForm(request.POST, request.FILES, label=label)
        if refused := _rate_limited(request):
            form.add_error(None, refused)
        elif form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                clip = videos.save_upload(request.user, target, upload, form.probe)
            except video.VideoRejected as rejected:
                _refused(request)
                form.add_error("file", str(rejected))
            else:
                _say_uploaded(request, clip)
                return redirect(clip)
        else:
            _refused(request)
        status = 400
    else:
        form = VideoUploadForm(label=label)
    listed = list(clips.with_outcome())
    mark_same_files(listed)
    if target.set:
        here = reverse("videos:set-video", args=[target.set.pk])
        start = reverse("videos:set-upload-start", args=[target.set.pk])
    else:
        here = reverse("videos:side-video", args=[target.session.pk, target.side])
        start = reverse("videos:side-upload-start", args=[target.session.pk, target.side])
    context = {
        "title": "Video of a set" if target.set else "Video of a side",
        "description": "Attach a video for your coach.",
        "target": target,
        "set": target.set,
        "session": target.session,
        "heading": _heading(target),
        "action": here,
        "start_url": start,
        "form": form,
        "videos": listed,
        "used": videos.bytes_in_use(request.user),
        "quota": settings.VIDEO_QUOTA_BYTES,
    }
    return render(request, "videos/set_video.html", context, status=status)


def _say_uploaded(request: HttpRequest, clip: SetVideo) -> None:
    """Uploaded, and what the upload already tells: a clip shorter than a rep is kept (the
    coach may still want it) but cannot have a rep judged; the same file as one of the set's
    earlier clips is kept too (it may be meant), and pointed out."""
    messages.success(request, UPLOADED)
    if clip.too_short_for_a_rep:
        seconds = f"{clip.duration_seconds:.1f}".removesuffix(".0")
        messages.warning(
            request,
            f"This clip is {seconds} s long: too short to show a whole rep, which takes "
            f"{SHORTEST_REP_SECONDS} s at the fastest tempo, so the camera cannot judge one in "
            "it. Film the whole set to have its reps read.",
        )
    if earlier := clip.same_file_as():
        at = dateformat.format(timezone.localtime(earlier.created_at), "H:i")
        messages.warning(
            request,
            f"This looks like the video you uploaded at {at} (the same size and length): if it "
            "is the same, delete one of them.",
        )


def _heading(target: videos.Target) -> str:
    if target.set:
        return f"Video of {target.set.name}"
    if target.side == Side.BOTH:
        return "Video of the session"
    return f"Video of the {target.side} side"


@login_required
@require_POST
def set_video_upload_start(request: HttpRequest, pk: int) -> JsonResponse:
    return _start_upload(request, videos.Target.of_set(get_set_for_user(request, pk)))


@login_required
@require_POST
def side_video_upload_start(request: HttpRequest, pk: int, side: str) -> JsonResponse:
    return _start_upload(request, _get_session_side_for_user(request, pk, side))


def _start_upload(request: HttpRequest, target: videos.Target) -> JsonResponse:
    """Open a chunked upload of `size` bytes: where to send the chunks, and how large."""
    try:
        size = int(request.POST.get("size", ""))
    except ValueError:
        return JsonResponse({"error": "Say how large the file is."}, status=400)
    if refused := _rate_limited(request):
        return JsonResponse({"error": refused}, status=429)
    try:
        upload = videos.start_upload(request.user, target, size)
    except video.VideoRejected as rejected:
        _refused(request)
        return JsonResponse({"error": str(rejected)}, status=400)
    return JsonResponse(_upload_state(upload), status=201)


def _upload_state(upload: VideoUpload) -> dict:
    return {
        "url": upload.get_absolute_url(),
        "offset": upload.received,
        "size": upload.size,
        "chunk": settings.VIDEO_UPLOAD_CHUNK_BYTES,
    }


@login_required
@never_cache
@require_http_methods(["GET", "HEAD", "PUT"])
def video_upload(request: HttpRequest, pk) -> JsonResponse:
    """GET: how far the upload has got (where to resume). PUT: one chunk, its place given by
    `Content-Range: bytes first-last/size`; the answer says where the next one starts, or,
    after the last, where the video is."""
    upload = get_object_or_404(VideoUpload, pk=pk, owner=request.user)
    if upload.expires_at <= timezone.now():
        videos.discard_expired()
        raise Http404("The upload expired.")
    if request.method in ("GET", "HEAD"):
        return JsonResponse(_upload_state(upload))
    match = _CONTENT_RANGE.match(request.headers.get("Content-Range", "").strip())
    limit = settings.VIDEO_UPLOAD_CHUNK_BYTES
    data = request.read(limit + 1)
    if not match or int(match["size"]) != upload.size:
        return JsonResponse(
            {"error": f"Send Content-Range: bytes first-last/{upload.size}."}, status=400
        )
    first, last = int(match["first"]), int(match["last"])
    if len(data) > limit or last - first + 1 != len(data) or last >= upload.size:
        return JsonResponse(
            {"error": f"A chunk is its Content-Range's bytes, at most {limit:,}."}, status=400
        )
    try:
        clip = videos.receive_chunk(upload, first, data)
    except videos.OffsetMismatch as mismatch:
        return JsonResponse(
            {"error": f"Send the bytes from {mismatch.expected}.", "offset": mismatch.expected},
            status=409,
        )
    except VideoUpload.DoesNotExist as gone:
        raise Http404("No such upload.") from gone
    except video.VideoRejected as rejected:
        _refused(request)  # the whole file came, and is no video
        return JsonResponse({"error": str(rejected)}, status=400)
    if clip is None:
        upload.refresh_from_db()
        return JsonResponse(_upload_state(upload))
    _say_uploaded(request, clip)
    return JsonResponse({"location": clip.get_absolute_url()}, status=201)


@login_required
@never_cache
@require_safe
def video_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Watch a clip with its comments; the coach also comments and marks it reviewed. While
    it is processing, the status part asks again every few seconds (htmx)."""
    clip = _get_video_for_user(request, pk)
    template = "videos/video.html"
    context = _video_context(request, clip)
    if request.htmx and request.htmx.target in ("video-status", "video-analysis"):
        template += f"#{request.htmx.target}"
        context["poll"] = request.htmx.target
    elif clip.owner_id == request.user.pk:
        videos.mark_comments_seen(clip)
    return render(request, template, context)


def _video_context(request: HttpRequest, clip: SetVideo, **forms) -> dict:
    is_coach = clip.owner_id != request.user.pk
    comment_form = forms.get("comment_form")
    if comment_form is None:
        comment_form = VideoCommentForm(duration=clip.duration_seconds, by_owner=not is_coach)
    # Where the page leads once the video is gone (its polls meet a 404): the athlete to the
    # videos of its set or side, the coach to their queue.
    if is_coach:
        gone_back = (reverse("coaches:dashboard"), "Back to the review queue")
    else:
        of = "set" if clip.set_id else "side"
        gone_back = (_videos_of_target(clip), f"Back to the videos of this {of}")
    return {
        "title": "Video review",
        "description": "A set on video, with the coach's comments.",
        "video": clip,
        "comments": clip.comments.select_related("form_error", "author"),
        "is_coach": is_coach,
        # The athlete's comments are replies and questions to a coach: without one, none.
        "has_coach": is_coach or _followed_by_a_coach(clip),
        "no_coach": NO_COACH,
        # The main navigation's item: the page is the coach panel's for the coach and the
        # log's for its athlete (NAV_ITEMS goes by the page alone).
        "nav_current": "coach" if is_coach else "log",
        # The coach's own review: another coach's leaves it to review for this one.
        "review": VideoReview.objects.filter(video=clip, coach=request.user).first()
        if is_coach
        else None,
        "comment_form": comment_form,
        "gone_back": gone_back,
        **camera.page_context(clip, is_coach),
    }


@login_required
@require_POST
def video_comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment pinned to a moment: the coach's, or the athlete's reply or question."""
    clip = _get_video_for_user(request, pk)
    by_owner = clip.owner_id == request.user.pk
    form = VideoCommentForm(request.POST, duration=clip.duration_seconds, by_owner=by_owner)
    if by_owner and not _followed_by_a_coach(clip):
        form.add_error(None, NO_COACH_REFUSED)
        context = _video_context(request, clip, comment_form=form)
        return render(request, "videos/video.html", context, status=403)
    if clip.status != VideoStatus.READY:
        form.add_error(None, "The video is not ready yet.")
    elif form.is_valid():
        try:
            comment = videos.add_comment(
                clip,
                request.user,
                form.cleaned_data["at_seconds"],
                form.cleaned_data["text"],
                form.cleaned_data.get("form_error"),
                submission_id=form.cleaned_data["submission_id"],
            )
        except SubmissionConflict:
            form.add_error(None, "This form was already used; reload the page and try again.")
            context = _video_context(request, clip, comment_form=form)
            return render(request, "videos/video.html", context, status=409)
        return _comment_added(request, clip, comment.at_seconds)
    context = _video_context(request, clip, comment_form=form)
    return render(request, "videos/video.html", context, status=400)


def _comment_added(request: HttpRequest, clip: SetVideo, at_seconds) -> HttpResponse:
    """Said beside the comment form, in its status region: with htmx, a new form in place
    of the one sent (the focus stays on the field or button it was on, as their ids stay),
    the comments drawn again and the region's words changed, which a screen reader reads;
    without it, the page again at that region, whose words a message carries there."""
    said = f"Comment added at {floatformat(at_seconds, 1)} s."  # as the comments list shows it
    if not request.htmx:
        messages.success(request, said, extra_tags=SAID_IN_PLACE)
        return redirect(f"{clip.get_absolute_url()}#comment-said")
    context = {**_video_context(request, clip), "comment_said": said}
    response = render(request, "videos/video.html#comment-added", context)
    response["HX-Retarget"] = "#comment-form"
    response["HX-Reswap"] = "outerHTML"
    response["HX-Push-Url"] = "false"
    return response


@login_required
@never_cache
@require_safe
def video_analysis(request: HttpRequest, pk: int) -> JsonResponse:
    """The analysis as data: status, reps with their phase times, angles, flags and
    confidence, what was declined and why, what a side view cannot judge, the model."""
    clip = _get_video_for_user(request, pk)
    analysis = VideoAnalysis.objects.filter(video=clip).first()
    side = camera.app_side(clip)
    data: dict = {
        "video": clip.pk,
        "side": side,
        "side_note": "" if side else _UNKNOWN_SIDE,
        "status": analysis.status if analysis else "none",
    }
    if analysis is not None:
        result = analysis.result
        data.update(
            failure=analysis.failure,
            model=analysis.model,
            model_version=analysis.model_version,
            prescribed_tempo=analysis.prescribed_tempo or None,
            prescribed_tempo_source=analysis.tempo_source or None,
            measured_tempo=camera.measured_tempo(result),
            reps=result.get("reps", []),
            declined=result.get("declined", []),
            cannot_judge=result.get("cannot_judge", []),
            notes=result.get("notes", []),
            long_gaps=result.get("long_gaps", []),
            skeleton=result.get("skeleton", {"joints": [], "frames": []}),
            created_at=analysis.created_at.isoformat(),
            finished_at=analysis.finished_at.isoformat() if analysis.finished_at else None,
        )
    return JsonResponse(data)


_UNKNOWN_SIDE = (
    "The log does not say which leg this clip is of, and the camera cannot tell it reliably "
    "(seen from the side, left and right are easily swapped)."
)


@login_required
@require_POST
def video_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """The coach confirms a suggested form error (it becomes their comment at that moment)
    or dismisses it, with one click."""
    clip = _get_video_for_coach(request, pk)
    try:
        comment = camera.answer_suggestion(
            clip, request.user, request.POST.get("key", ""), request.POST.get("answer", "")
        )
    except (VideoAnalysis.DoesNotExist, camera.NoSuchSuggestion):
        return HttpResponseBadRequest("No such suggestion on this video.")
    if comment is not None:
        messages.success(request, f"Pinned at {comment.at_seconds} s.")
        return _back_to_the_video(request, clip, "comments")
    return _back_to_the_video(request, clip, "suggestions")  # the list the coach works through


def _back_to_the_video(request: HttpRequest, clip: SetVideo, part: str) -> HttpResponse:
    """The video's page at `part` (its comments, its analysis), where the coach was. A
    boosted form follows a redirect without its #part and would open the page at the top:
    htmx is told to load the page and scroll to the part itself (HX-Location)."""
    url = f"{clip.get_absolute_url()}#{part}"
    return HttpResponseLocation(url) if request.htmx else redirect(url)


@login_required
@never_cache
@require_safe
def video_log_set(request: HttpRequest, pk: int) -> HttpResponse:
    """The set form filled from the analysis: the reps counted, the measured tempo and the
    log's side; not the reps when the camera lost sight of the person long enough to miss
    some (the count is then only a lower bound). Nothing is saved here: the form posts to the
    set's own edit (a set's video) or to the session's new set (a side's), where the trainee
    confirms."""
    clip = get_object_or_404(
        SetVideo.objects.select_related("set", "session__variation"), pk=pk, owner=request.user
    )
    analysis = VideoAnalysis.objects.filter(video=clip, status=AnalysisStatus.DONE).first()
    if analysis is None or not analysis.result.get("reps"):
        raise Http404("No reps were read from this video.")
    reps = len(analysis.result["reps"])
    tempo = camera.measured_tempo(analysis.result)
    side = camera.app_side(clip)
    lost = camera.lost_sight(analysis.result)
    filled: dict = {} if lost else {"reps": reps}
    if tempo:
        filled["tempo"] = tempo
    if side:
        filled["side"] = side
    said = [] if lost else [f"{reps} rep{'s' if reps != 1 else ''}"]
    logged = clip.set if clip.set_id else None
    if said and logged is not None and logged.reps != reps:
        said[0] += f" (your log says {logged.reps})"
    if tempo:
        said.append(f"tempo {tempo}")
        if logged is not None and logged.tempo and logged.tempo != tempo:
            said[-1] += f" (logged {logged.tempo})"
    said.append(f"the {side} side" if side else "no side (the log does not say which leg)")
    missed = ""
    if lost:
        kept = "left as you logged them" if logged is not None else "left for you to fill in"
        missed = (
            f" The reps are {kept}: the camera lost sight of you {lost}, so it may have missed "
            f"reps (it counted {reps})."
        )
    messages.info(
        request,
        f"Filled from the video: {', '.join(said)}.{missed} Check it and save; nothing is saved "
        "until you do.",
    )
    unit = unit_of_request(request)
    if clip.set_id:
        existing = clip.set
        form = SetEditForm.for_set(
            existing,
            session=clip.session,
            unit=unit,
            allow_unknown_side=existing.side == Side.UNKNOWN,
        )
        form.initial.update(filled)
        context = {
            "title": "Edit set",
            "description": "Edit one set.",
            "session": clip.session,
            "set": existing,
            "form": form,
            "unit": unit,
            "stale": False,
            "inline": False,
        }
        return render(request, "training/set_edit.html", context)
    context = session_context(request, clip.session)
    context["form"].initial.update(filled)
    return render(request, "training/session_detail.html", context)


@login_required
@require_POST
def video_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    clip = _get_video_for_coach(request, pk)
    VideoReview.objects.update_or_create(
        video=clip, coach=request.user, defaults={"reviewed_at": timezone.now()}
    )
    AuditEntry.objects.create(
        actor=request.user,
        athlete=clip.owner,
        action="video-reviewed",
        detail=f"Marked {clip.audit_name()} reviewed.",
    )
    messages.success(request, "Marked reviewed.")
    return redirect(clip)


@login_required
@require_POST
def video_delete(request: HttpRequest, pk: int) -> HttpResponse:
    clip = get_object_or_404(SetVideo, pk=pk, owner=request.user)
    back = _videos_of_target(clip)
    clip.delete()  # its files go once this commits (training/signals.py)
    messages.success(request, "Video deleted, with every copy of it.")
    return redirect(back)


def _videos_of_target(clip: SetVideo) -> str:
    """The page listing the videos of the clip's set, or of its side of the session."""
    if clip.set_id:
        return reverse("videos:set-video", args=[clip.set_id])
    return reverse("videos:side-video", args=[clip.session_id, clip.side])


@login_required
@require_safe
def video_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The playable video ("play") or its poster, with byte ranges so players can seek."""
    clip = _get_video_for_user(request, pk)
    if clip.status != VideoStatus.READY:
        raise Http404("The video is not ready.")
    if kind == "play":
        name, content_type = (clip.rendition or clip.original).name, clip.playback_type
    elif kind == "poster":
        name, content_type = clip.poster.name, "image/jpeg"
    else:
        raise Http404("No such file.")
    if not name:
        raise Http404("The video has no such file.")
    try:
        response = ranged_file_response(request, name, content_type)
    except FileNotFoundError:
        # Lost from storage (a restore without media): the page shows no image, no 500.
        raise Http404("The file is missing.") from None
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
