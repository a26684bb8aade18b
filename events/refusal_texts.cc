#include "events/refusal_texts.h"

#include <algorithm>
#include <array>

namespace exemplar {
namespace {

// Sorted by code (FindRefusalText searches it).
constexpr std::array kCatalogue = {
    RefusalText{"already_exists", "Đã có bản ghi với mã này",
                "Something with this id already exists"},
    RefusalText{"already_registered", "Đơn vị đã đăng ký danh sách của năm này",
                "The unit already has a list for this year"},
    RefusalText{"already_revoked", "Đã thu hồi từ trước",
                "It was already revoked"},
    RefusalText{"already_submitted", "Danh sách đã được gửi",
                "The list was already submitted"},
    RefusalText{"ambiguous_role",
                "Bạn giữ nhiều vai trò có thể thực hiện việc này; hãy chọn "
                "vai trò và đơn vị",
                "You hold several roles that may do this; choose a role and "
                "a unit"},
    RefusalText{"body_too_large", "Nội dung gửi lên quá lớn",
                "The request body is too large"},
    RefusalText{"busy", "Hệ thống đang bận, vui lòng thử lại sau giây lát",
                "The server is busy; try again in a moment"},
    RefusalText{"campaign_closed", "Phong trào thi đua đã kết thúc",
                "The campaign is closed"},
    RefusalText{"corruption", "Dữ liệu lưu trữ bị hỏng",
                "Stored data is damaged"},
    RefusalText{"csrf_rejected",
                "Yêu cầu bị từ chối vì không đến từ phiên làm việc của bạn",
                "The request was refused: it did not come from your session"},
    RefusalText{"definition_version_changed",
                "Hồ sơ được giới thiệu theo phiên bản quy trình trước; cần "
                "chuyển sang phiên bản hiện hành trước khi làm việc này",
                "This nomination runs under an earlier version of the "
                "workflow; move it to the current version first"},
    RefusalText{"definition_version_reused",
                "Phiên bản quy trình này đã được ghi nhận với nội dung khác; "
                "quy trình đã sửa phải mang số phiên bản mới",
                "This workflow version was recorded with other content; a "
                "changed workflow takes a new version"},
    RefusalText{"document_erased",
                "Tài liệu thuộc dữ liệu cá nhân đã xóa, không thể đọc lại",
                "The document belongs to erased personal data and can no "
                "longer be read"},
    RefusalText{"document_not_found", "Điển hình này không có tài liệu đó",
                "This exemplar recorded no such document"},
    RefusalText{"document_too_large", "Tài liệu quá lớn",
                "The document is too large"},
    RefusalText{"dropped", "Luồng sự kiện bị ngắt vì nhận chậm",
                "The event stream was cut: it fell behind"},
    RefusalText{"effective_date_not_today",
                "Việc sắp xếp đơn vị có hiệu lực vào ngày được ghi nhận; không "
                "ghi nhận hiệu lực trước hay sau ngày hôm nay",
                "A reorganisation takes effect on the day it is recorded; an "
                "effect before or after today cannot be recorded"},
    RefusalText{"empty_document", "Tài liệu không có nội dung",
                "The document is empty"},
    RefusalText{"exemplar_not_found", "Không tìm thấy điển hình",
                "No such exemplar"},
    RefusalText{"exemplar_not_of_unit", "Điển hình không thuộc đơn vị đăng ký",
                "The exemplar does not belong to the registering unit"},
    RefusalText{"forbidden", "Bạn không có quyền thực hiện việc này",
                "You may not do this"},
    RefusalText{"header_too_large", "Phần đầu của yêu cầu quá lớn",
                "The request headers are too large"},
    RefusalText{"idempotency_key_reused",
                "Khóa chống trùng lặp đã được dùng cho một yêu cầu khác",
                "The idempotency key was used for another request"},
    RefusalText{"internal", "Hệ thống gặp lỗi khi xử lý yêu cầu",
                "The server failed to handle this"},
    RefusalText{"invalid_credentials", "Tên đăng nhập hoặc mật khẩu không đúng",
                "Wrong user name or password"},
    RefusalText{"invalid_recipient", "Đơn vị nhận danh sách không đúng",
                "The list cannot be sent to this unit"},
    RefusalText{"invalid_setup_code", "Mã thiết lập không đúng hoặc đã hết hạn",
                "The setup code is wrong or has expired"},
    RefusalText{"invalid_transition",
                "Không thể thực hiện thao tác này ở trạng thái hiện tại của "
                "điển hình",
                "This action is not possible in the exemplar's current "
                "state"},
    RefusalText{"invalid_unit_level", "Cấp đơn vị không hợp lệ",
                "The unit level is not valid"},
    RefusalText{"invalid_utf8", "Nội dung gửi lên không phải văn bản UTF-8",
                "The body is not valid UTF-8"},
    RefusalText{"io_error", "Lỗi ghi, đọc dữ liệu trên máy chủ",
                "The server failed to read or write its storage"},
    RefusalText{"malformed_json", "Nội dung gửi lên không đúng định dạng JSON",
                "The body is not well-formed JSON"},
    RefusalText{"malformed_path", "Đường dẫn không hợp lệ",
                "The request path is not valid"},
    RefusalText{"malformed_query", "Tham số truy vấn không hợp lệ",
                "The query string is not valid"},
    RefusalText{"malformed_request", "Yêu cầu HTTP không hợp lệ",
                "The HTTP request is malformed"},
    RefusalText{"method_not_allowed",
                "Đường dẫn này không nhận phương thức đã dùng",
                "This path does not accept this method"},
    RefusalText{"no_registration_step",
                "Đơn vị không có bước đăng ký điển hình trong năm này",
                "The unit has no annual registration in this year"},
    RefusalText{"no_retention_schedule",
                "Quy trình không quy định lịch đề nghị xóa dữ liệu đến hạn",
                "The workflow definition has no retention schedule"},
    RefusalText{"not_authorised",
                "Bạn không giữ vai trò này tại đơn vị đã chọn vào thời điểm "
                "này",
                "You do not hold this role at the chosen unit at this time"},
    RefusalText{"not_caught_up",
                "Dữ liệu tổng hợp chưa cập nhật kịp; vui lòng thử lại",
                "The read models have not caught up yet; try again"},
    RefusalText{"not_found", "Không tìm thấy", "Not found"},
    RefusalText{"not_in_scope",
                "Điển hình thuộc đơn vị nằm ngoài phạm vi đơn vị của bạn",
                "The exemplar's unit is outside your unit"},
    RefusalText{
        "not_registered_by_child",
        "Điển hình không có trong danh sách đăng ký của các đơn vị trực thuộc",
        "The exemplar is on no list the units below registered"},
    RefusalText{"not_transferable",
                "Không thể chuyển điển hình: đơn vị của điển hình không bị "
                "chấm dứt bởi việc sắp xếp này, hoặc đơn vị nhận không kế thừa "
                "đơn vị đó",
                "The exemplar cannot move: this reorganisation did not end "
                "its unit, or the target does not succeed that unit"},
    RefusalText{"nothing_to_dissolve",
                "Không còn đơn vị nào của cấp này để giải thể",
                "No open unit of this level is left to dissolve"},
    RefusalText{"on_behalf_of_not_allowed",
                "Thao tác này không ghi lời của điển hình thay cho họ",
                "This action does not record the exemplar's own words"},
    RefusalText{"personal_data_kept",
                "Dữ liệu cá nhân thuộc loại phải lưu giữ, không được xóa",
                "This personal data must be kept and may not be erased"},
    RefusalText{"registration_not_found",
                "Đơn vị chưa có danh sách lựa chọn của năm này",
                "The unit has selected no list for this year"},
    RefusalText{"registration_over_max",
                "Danh sách vượt quá số lượng tối đa được đăng ký",
                "The list holds more exemplars than the maximum"},
    RefusalText{"role_not_permitted",
                "Vai trò của bạn không được thực hiện thao tác này",
                "Your role may not take this action"},
    RefusalText{"shutting_down", "Máy chủ đang dừng",
                "The server is shutting down"},
    RefusalText{"stream_incompatible",
                "Luồng dữ liệu này không nhận loại sự kiện đó",
                "This stream does not take that kind of event"},
    RefusalText{"subject_access_not_found",
                "Không có bước cung cấp dữ liệu cá nhân của điển hình này ở "
                "vị trí đã nêu",
                "No subject-access step of this exemplar at that position"},
    RefusalText{"token_expired", "Mã truy cập đã hết hạn; hãy xin mã mới",
                "The token has expired; ask for a new one"},
    RefusalText{"too_many_attempts",
                "Đăng nhập sai quá nhiều lần; vui lòng thử lại sau",
                "Too many failed sign-ins; try again later"},
    RefusalText{"too_many_connections",
                "Máy chủ đang có quá nhiều kết nối; vui lòng thử lại sau",
                "The server has too many connections; try again later"},
    RefusalText{"too_many_requests",
                "Bạn đang gửi quá nhiều yêu cầu cùng lúc; vui lòng thử lại "
                "sau",
                "You have too many requests under way; try again later"},
    RefusalText{"too_many_subscribers", "Có quá nhiều luồng sự kiện đang mở",
                "Too many event streams are open"},
    RefusalText{"too_many_uploads",
                "Bạn có quá nhiều tài liệu đã tải lên mà chưa dùng; hãy ghi "
                "nhận chúng vào một bước hoặc chờ chúng hết hạn",
                "You have too many uploaded documents no step has taken yet; "
                "record them with an action or wait until they expire"},
    RefusalText{"unauthenticated", "Bạn cần đăng nhập", "You need to sign in"},
    RefusalText{"unavailable", "Dịch vụ tạm thời không sẵn sàng",
                "The service is unavailable for now"},
    RefusalText{"unit_closed", "Đơn vị đã giải thể hoặc ngừng hoạt động",
                "The unit is closed"},
    RefusalText{"unit_cycle",
                "Không thể chuyển đơn vị vào đơn vị cấp dưới "
                "của chính nó",
                "A unit cannot move under its own subtree"},
    RefusalText{"unit_has_open_children",
                "Đơn vị còn đơn vị trực thuộc đang hoạt động",
                "The unit still has open units under it"},
    RefusalText{"unknown_action", "Quy trình không có thao tác này",
                "The workflow has no such action"},
    RefusalText{"unknown_campaign", "Không tìm thấy phong trào thi đua",
                "No such campaign"},
    RefusalText{"unknown_criteria_set", "Không tìm thấy bộ tiêu chí",
                "No such criteria set"},
    RefusalText{"unknown_deciding_body",
                "Định nghĩa quy trình không có cơ quan xét duyệt này",
                "The workflow has no such deciding body"},
    RefusalText{"unknown_grant", "Không tìm thấy quyết định phân quyền",
                "No such grant"},
    RefusalText{"unknown_reorganisation", "Không tìm thấy việc sắp xếp đơn vị",
                "No such reorganisation"},
    RefusalText{"unknown_role", "Quy trình không có vai trò này",
                "The workflow has no such role"},
    RefusalText{"unknown_unit", "Không tìm thấy đơn vị", "No such unit"},
    RefusalText{"unknown_user", "Không tìm thấy người dùng", "No such user"},
    RefusalText{"unsupported_media_type",
                "Nội dung gửi lên phải là application/json",
                "The body must be application/json"},
    RefusalText{"user_inactive", "Tài khoản người dùng đã bị vô hiệu hóa",
                "The user is deactivated"},
    RefusalText{"validation_failed", "Thông tin nhập chưa hợp lệ",
                "The input is not valid"},
    RefusalText{"version_conflict",
                "Điển hình vừa được người khác cập nhật; hãy tải lại rồi thử "
                "lại",
                "Someone else changed this meanwhile; reload and try again"},
    RefusalText{
        "wrong_registration_step",
        "Cấp đơn vị này thực hiện bước khác (đăng ký hoặc lựa chọn) trong năm "
        "này",
        "This unit level takes the other step (register or select) this year"}};

constexpr bool SortedByCode() {
  for (std::size_t i = 1; i < kCatalogue.size(); ++i) {
    if (!(kCatalogue[i - 1].code < kCatalogue[i].code)) return false;
  }
  return true;
}
static_assert(SortedByCode(), "keep the catalogue sorted by code");

}  // namespace

std::span<const RefusalText> RefusalCatalogue() { return kCatalogue; }

const RefusalText* FindRefusalText(std::string_view code) {
  auto it = std::lower_bound(kCatalogue.begin(), kCatalogue.end(), code,
                             [](const RefusalText& entry, std::string_view c) {
                               return entry.code < c;
                             });
  return it != kCatalogue.end() && it->code == code ? &*it : nullptr;
}

RefusalWords WordsOf(const Status& status, std::string_view code) {
  if (!status.text_vi().empty() && !status.text_en().empty()) {
    return {status.text_vi(), status.text_en()};
  }
  if (const RefusalText* entry = FindRefusalText(code)) {
    return {std::string(entry->vi), std::string(entry->en)};
  }
  return {status.message(), status.message()};
}

}  // namespace exemplar
