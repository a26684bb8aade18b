// The console's texts for evidence documents (hồ sơ): picking and
// uploading files in an action's form, and the links to them in the record
// (merged into texts.js).
export const documentTexts = {
  'documents.pick': { vi: 'Chọn tệp…', en: 'Choose files…' },
  'documents.drop': { vi: 'hoặc kéo thả tệp vào đây', en: 'or drop files here' },
  'documents.hint': {
    vi: 'Tối đa {n} tệp: PDF, ảnh (JPEG, PNG, WebP, HEIC), văn bản, Word, Excel, OpenDocument',
    en: 'At most {n} files: PDF, images (JPEG, PNG, WebP, HEIC), text, Word, Excel, OpenDocument',
  },
  'documents.uploading': { vi: 'Đang tải lên…', en: 'Uploading…' },
  'documents.uploaded': { vi: 'Đã tải lên', en: 'Uploaded' },
  'documents.remove': { vi: 'Bỏ', en: 'Remove' },
  'documents.remove_named': { vi: 'Bỏ tệp {name}', en: 'Remove {name}' },
  'documents.list': { vi: 'Tệp đã chọn', en: 'Files chosen' },
  'documents.count': { vi: '{n}/{max} tệp', en: '{n}/{max} files' },
  'documents.full': { vi: 'Đã đủ {n} tệp, không thêm được nữa.', en: 'The limit of {n} files is reached.' },
  'documents.dropped': {
    vi: 'Chỉ được đính kèm tối đa {n} tệp: {names} không được thêm.',
    en: 'At most {n} files may be attached: {names} left out.',
  },
  'documents.wait': { vi: 'Vui lòng chờ tải lên xong rồi xác nhận.', en: 'Wait for the uploads to finish before submitting.' },
  'documents.open': { vi: 'Mở {name} (thẻ mới)', en: 'Open {name} (new tab)' },
  'documents.error.unsupported_media_type': {
    vi: 'Loại tệp không được nhận (chỉ PDF, ảnh, văn bản, Word, Excel, OpenDocument).',
    en: 'This kind of file is not accepted (PDF, images, text, Word, Excel, OpenDocument only).',
  },
  'documents.error.document_too_large': { vi: 'Tệp quá lớn.', en: 'The file is too large.' },
  'documents.error.empty_document': { vi: 'Tệp rỗng, không có nội dung.', en: 'The file is empty.' },
  'documents.error.too_many_uploads': {
    vi: 'Bạn đã tải lên quá nhiều tệp chưa dùng đến; hãy xác nhận các thao tác đang làm dở hoặc chờ các tệp cũ hết hạn (24 giờ).',
    en: 'You have too many uploads not used yet: finish the actions under way, or wait for the old ones to expire (24 h).',
  },
  'documents.error.validation_failed': {
    vi: 'Tên tệp không hợp lệ (1 đến 200 ký tự, không chứa / hoặc \\).',
    en: 'The file name is not valid (1 to 200 characters, without / or \\).',
  },
  'documents.error.network': {
    vi: 'Mất kết nối khi tải lên; hãy bỏ tệp và chọn lại.',
    en: 'The connection failed during the upload: remove the file and choose it again.',
  },
  'documents.error.failed': { vi: 'Không tải lên được', en: 'Upload failed' },
};
