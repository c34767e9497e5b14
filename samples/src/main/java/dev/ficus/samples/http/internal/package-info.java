/**
 * Plumbing shared by the HTTP samples (Undertow lifecycle, JSON, request counting, timers).
 * Public only so that the sample packages can share it; not an API.
 */
package dev.ficus.samples.http.internal;
