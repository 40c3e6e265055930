// The visitor's time zone, for the server's days (core.middleware.TimeZoneMiddleware): a
// session logged in the evening is dated by the trainee's clock, as logging offline dates it.
// Kept a year; written again only when the device's zone changes (travel).
const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
if (zone && !document.cookie.split("; ").includes(`tz=${zone}`)) {
  document.cookie = `tz=${zone}; path=/; max-age=31536000; samesite=lax`;
}
