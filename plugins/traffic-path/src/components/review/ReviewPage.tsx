/*
 * The ownership review as a page (/traffic-path): every entry point the
 * user may see, filtered by owner, cluster and the rest.
 */
import { Content, Header, Page } from '@backstage/core-components';
import { ExposureReview } from './ExposureReview';

/** The review without a header, for a page whose header the app draws (new frontend system). */
export function ReviewContent() {
  return (
    <Content>
      <ExposureReview scope={{ kind: 'all' }} variant="page" />
    </Content>
  );
}

/** The review with its own header, for an app on the legacy frontend system. */
export function ReviewPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Traffic Path review"
        subtitle="What of ours is public, who may reach it, and what changed"
      />
      <ReviewContent />
    </Page>
  );
}
