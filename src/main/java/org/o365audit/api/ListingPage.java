package org.o365audit.api;

import java.net.URI;
import java.util.List;

/** One page of {@code /subscriptions/content}; {@code next} is the NextPageUri, null on the last page. */
public record ListingPage(List<ContentBlob> blobs, URI next) {
}
