// Placeholder until the screen lands.
import { Page } from '../lib/ui.jsx';

export default function Screen() {
  return <Page title="verify" />;
}
