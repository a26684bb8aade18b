// Search folding for Vietnamese names: lower case, no diacritics, and "đ"
// as "d", so "Nguyễn Thị Đào", "nguyen thi dao" and "NGUYEN THI ĐAO" all
// fold to "nguyen thi dao".
#pragma once

#include <string>
#include <string_view>

namespace exemplar::projections {

// The folded form of valid UTF-8 `text`: Unicode case folding, canonical
// decomposition with every combining mark dropped, and đ/Đ mapped to d.
// Invalid UTF-8 folds to the empty string. Thread safe.
std::string FoldForSearch(std::string_view text);

}  // namespace exemplar::projections
