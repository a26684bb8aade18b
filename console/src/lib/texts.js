// The console's own texts (the workflow's come from the definition). Keys
// are grouped by screen; every entry has both languages.
export const texts = {
  'app.title': { vi: 'Điển hình tiên tiến', en: 'Advanced exemplars' },
  'app.language': { vi: 'English', en: 'Tiếng Việt' },
  'app.sign_out': { vi: 'Đăng xuất', en: 'Sign out' },
  'common.loading': { vi: 'Đang tải…', en: 'Loading…' },
  'common.error': { vi: 'Có lỗi', en: 'Error' },
  'common.none': { vi: 'Không có dữ liệu', en: 'Nothing to show' },
  'common.previous': { vi: 'Trang trước', en: 'Previous' },
  'common.next': { vi: 'Trang sau', en: 'Next' },
  'common.download_csv': { vi: 'Tải CSV', en: 'Download CSV' },
  'common.apply': { vi: 'Áp dụng', en: 'Apply' },
  'common.as_of': { vi: 'Tính đến ngày', en: 'As of' },
};
