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
from django.core.files.storage import default_storage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import throttle
from training import video, videos
from training.forms import VideoCommentForm, VideoUploadForm
from training.models import AuditEntry, Set, SetVideo, VideoComment, VideoStatus

CHUNK = 64 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _get_set_for_user(request: HttpRequest, pk: int) -> Set:
    return get_object_or_404(
        Set.objects.select_related("session__variation"), pk=pk, session__user=request.user
    )


def _get_video_for_viewer(request: HttpRequest, pk: int) -> SetVideo:
    """The owner's or their linked coach's video, or 404."""
    return get_object_or_404(
        SetVideo.objects.for_viewer(request.user).select_related("owner", "set", "session"), pk=pk
    )


def _get_video_for_coach(request: HttpRequest, pk: int) -> SetVideo:
    clip = _get_video_for_viewer(request, pk)
    if clip.owner_id == request.user.pk:
        raise Http404("No such video.")
    return clip


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def set_video(request: HttpRequest, pk: int) -> HttpResponse:
    """Attach a clip to one of the user's sets; its videos are listed under the form."""
    target = _get_set_for_user(request, pk)
    status = 200
    if request.method == "POST":
        form = VideoUploadForm(request.POST, request.FILES)
        allowed = throttle.allow(
            "video-upload",
            str(request.user.pk),
            limit=settings.VIDEO_UPLOADS_PER_HOUR,
            window=60 * 60,
        )
        if not allowed:
            form.add_error(
                None,
                f"You have uploaded {settings.VIDEO_UPLOADS_PER_HOUR} videos in the last hour, "
                "the most we take; try again later.",
            )
        elif form.is_valid():
            try:
                upload = form.cleaned_data["file"]
                clip = videos.save_upload(request.user, target, upload, form.probe)
            except video.VideoRejected as rejected:
                form.add_error("file", str(rejected))
            else:
                messages.success(request, "Video uploaded: it is being processed.")
                return redirect(clip)
        status = 400
    else:
        form = VideoUploadForm()
    context = {
        "title": "Video of a set",
        "description": "Attach a video of this set for your coach.",
        "set": target,
        "session": target.session,
        "form": form,
        "videos": target.videos.all(),
        "used": SetVideo.objects.stored_bytes(request.user),
        "quota": settings.VIDEO_QUOTA_BYTES,
    }
    return render(request, "training/set_video.html", context, status=status)


@login_required
@never_cache
@require_GET
def video_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Watch a clip with its comments; the coach also comments and marks it reviewed. While
    it is processing, the status part asks again every few seconds (htmx)."""
    clip = _get_video_for_viewer(request, pk)
    context = _video_context(request, clip)
    template = "training/video.html"
    if request.htmx and request.htmx.target == "video-status":
        template += "#video-status"
    return render(request, template, context)


def _video_context(request: HttpRequest, clip: SetVideo, **forms) -> dict:
    is_coach = clip.owner_id != request.user.pk
    comment_form = forms.get("comment_form")
    if is_coach and comment_form is None:
        comment_form = VideoCommentForm(duration=clip.duration_seconds)
    return {
        "title": "Video review",
        "description": "A set on video, with the coach's comments.",
        "video": clip,
        "comments": clip.comments.select_related("form_error", "author"),
        "is_coach": is_coach,
        "comment_form": comment_form,
    }


@login_required
@require_POST
def video_comment(request: HttpRequest, pk: int) -> HttpResponse:
    clip = _get_video_for_coach(request, pk)
    form = VideoCommentForm(request.POST, duration=clip.duration_seconds)
    if clip.status != VideoStatus.READY:
        form.add_error(None, "The video is not ready yet.")
    elif form.is_valid():
        VideoComment.objects.create(
            video=clip,
            author=request.user,
            at_seconds=form.cleaned_data["at_seconds"],
            text=form.cleaned_data["text"],
            form_error=form.cleaned_data["form_error"],
        )
        AuditEntry.objects.create(
            actor=request.user,
            athlete=clip.owner,
            action="video-comment",
            detail=f"Commented on video {clip.pk} at {form.cleaned_data['at_seconds']} s",
        )
        return redirect(f"{clip.get_absolute_url()}#comments")
    context = _video_context(request, clip, comment_form=form)
    return render(request, "training/video.html", context, status=400)


@login_required
@require_POST
def video_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    clip = _get_video_for_coach(request, pk)
    SetVideo.objects.filter(pk=clip.pk).update(reviewed_by=request.user, reviewed_at=timezone.now())
    AuditEntry.objects.create(
        actor=request.user,
        athlete=clip.owner,
        action="video-reviewed",
        detail=f"Marked video {clip.pk} reviewed",
    )
    messages.success(request, "Marked reviewed.")
    return redirect(clip)


@login_required
@require_POST
def video_delete(request: HttpRequest, pk: int) -> HttpResponse:
    clip = get_object_or_404(SetVideo, pk=pk, owner=request.user)
    back = clip.set_id
    clip.delete()  # its files go once this commits (training/signals.py)
    messages.success(request, "Video deleted, with every copy of it.")
    return redirect("training:set-video", pk=back) if back else redirect("training:log")


@login_required
@require_GET
def video_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The playable video ("play") or its poster, with byte ranges so players can seek."""
    clip = _get_video_for_viewer(request, pk)
    if clip.status != VideoStatus.READY:
        raise Http404("The video is not ready.")
    if kind == "play":
        name, content_type = (clip.rendition or clip.original).name, clip.playback_type
    elif kind == "poster":
        name, content_type = clip.poster.name, "image/jpeg"
    else:
        raise Http404("No such file.")
    response = _ranged(request, name, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def _ranged(request: HttpRequest, name: str, content_type: str) -> HttpResponse:
    total = default_storage.size(name)
    start, end, status = 0, total - 1, 200
    header = request.headers.get("Range", "")
    match = _RANGE.match(header.strip())
    if header and match:
        first, last = match.groups()
        if first:
            start = int(first)
            end = min(int(last), total - 1) if last else total - 1
        elif last:  # the final N bytes
            start = max(0, total - int(last))
        if not (first or last) or start >= total or start > end:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{total}"
            return response
        status = 206
    handle = default_storage.open(name, "rb")
    handle.seek(start)
    response = StreamingHttpResponse(
        _read(handle, end - start + 1), status=status, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    # Already compressed; and gzip would break the byte ranges.
    response["Content-Encoding"] = "identity"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{total}"
    return response


def _read(handle, remaining: int):
    try:
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()
