/** View state that is neither the experiment nor the run. */
import type { Slice, UiSlice } from './types';

export const uiSlice: Slice<UiSlice> = (set) => ({
  issuesDismissed: false,
  dismissIssues: () => set({ issuesDismissed: true }),
});
