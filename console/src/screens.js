// The console's screens, in the order of the navigation. `roles` lists who
// sees a screen in the navigation (empty: everyone signed in; "admin": the
// admin); the server still decides what each person may read and do.
import Overview from './screens/overview.jsx';
import Exemplars from './screens/exemplars.jsx';
import Exemplar from './screens/exemplar.jsx';
import Ledger from './screens/ledger.jsx';
import Reports from './screens/reports.jsx';
import Units from './screens/units.jsx';
import Verify from './screens/verify.jsx';
import Feed from './screens/feed.jsx';
import Admin from './screens/admin.jsx';
import Process from './screens/process.jsx';

export const screens = [
  { path: '/', component: Overview, vi: 'Tổng quan', en: 'Overview' },
  { path: '/exemplars', component: Exemplars, vi: 'Danh sách điển hình', en: 'Exemplars' },
  { path: '/exemplars/:id', component: Exemplar, vi: 'Hồ sơ', en: 'Record', hidden: true },
  { path: '/ledger', component: Ledger, vi: 'Sổ phê duyệt', en: 'Approvals ledger' },
  { path: '/reports', component: Reports, vi: 'Báo cáo', en: 'Reports' },
  { path: '/units', component: Units, vi: 'Đơn vị', en: 'Units' },
  { path: '/verify', component: Verify, vi: 'Kiểm chứng', en: 'Verification' },
  { path: '/feed', component: Feed, vi: 'Dòng sự kiện', en: 'Live feed' },
  { path: '/admin', component: Admin, vi: 'Quản trị', en: 'Administration', roles: ['admin'] },
  { path: '/process', component: Process, vi: 'Quy trình', en: 'The process' },
];
