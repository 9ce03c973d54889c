/** Values of the opening URL that were rejected, each naming its field; defaults were used. */
import { useApp } from '../store';

export function UrlNotice() {
  const issues = useApp((s) => s.urlIssues);
  const dismissed = useApp((s) => s.issuesDismissed);
  const dismiss = useApp((s) => s.dismissIssues);
  if (issues.length === 0 || dismissed) return null;
  return (
    <div className="banner banner-notice" role="status" data-testid="url-notice">
      <strong>Some link settings were not used:</strong>
      <ul>
        {issues.map((issue, i) => (
          <li key={i} data-field={issue.field} className={`issue-${issue.level}`}>
            <code>{issue.field}</code> {issue.message.replace(`${issue.field}: `, '')}
          </li>
        ))}
      </ul>
      <button type="button" className="banner-close" aria-label="Dismiss" onClick={dismiss}>
        ×
      </button>
    </div>
  );
}
