#include "tools/demo_province.h"

#include <algorithm>

#include "events/civil_date.h"

namespace exemplar::tools {

std::int64_t DemoAt(int year, unsigned month, unsigned day, int hour) {
  return CivilDate::FromYmd(year, month, day).StartUnixMicros(420) +
         hour * kDemoHour;
}

std::int64_t DemoReformAt() { return DemoAt(2025, 7, 1, 8); }

DemoTerritory::DemoTerritory() {
  units_ = {{"kh", "Tỉnh Khánh Hòa", "province", "vn"},
            {"nt", "Tỉnh Ninh Thuận", "province", "vn"},
            {"so-gd", "Sở Giáo dục và Đào tạo", "department", "kh"},
            {"so-yt", "Sở Y tế", "department", "kh"},
            {"hoi-lhpn", "Hội Liên hiệp Phụ nữ tỉnh", "department", "kh"},
            {"so-nv", "Sở Nội vụ", "department", "kh"},
            {"khoi-vhxh", "Khối thi đua Văn hóa - Xã hội", "bloc", "kh"},
            {"khoi-kt", "Khối thi đua Kinh tế", "bloc", "kh"}};
  const std::vector<std::string> suffixes = {
      "Hải Tây", "Thành Nam", "An",    "Phước", "Hòa",
      "Lộc",     "Bình",      "Thắng", "Hưng",  "Thọ"};
  const std::vector<std::vector<int>> groups = {
      {1, 2, 3, 4}, {5, 6, 7}, {8, 9, 10}};
  AddDistrict("kh", "camlam", "Huyện Cam Lâm", "Xã Cam", suffixes, groups,
              {"Xã Cam Lâm", "Xã Suối Dầu", "Xã Cam Hiệp"});
  AddDistrict("kh", "dienkhanh", "Huyện Diên Khánh", "Xã Diên", suffixes,
              groups, {"Xã Diên Khánh", "Xã Diên Lạc", "Xã Diên Điền"});
  AddDistrict("kh", "vanninh", "Huyện Vạn Ninh", "Xã Vạn", suffixes, groups,
              {"Xã Vạn Ninh", "Xã Vạn Thắng", "Xã Vạn Hưng"});
  AddDistrict("nt", "ninhhai", "Huyện Ninh Hải", "Xã",
              {"Hộ Hải", "Tân Hải", "Vĩnh Hải", "Xuân Hải"}, {{1, 2}, {3, 4}},
              {"Xã Ninh Hải", "Xã Vĩnh Hải"});
}

void DemoTerritory::AddDistrict(const std::string& province,
                                const std::string& id, const std::string& name,
                                const std::string& prefix,
                                const std::vector<std::string>& suffixes,
                                const std::vector<std::vector<int>>& groups,
                                const std::vector<std::string>& new_names) {
  units_.push_back({id, name, "district", province});
  districts_.push_back(id);
  auto commune_id = [&](int n) { return id + "-" + std::to_string(n); };
  for (std::size_t c = 0; c < suffixes.size(); ++c) {
    const std::string commune = commune_id(static_cast<int>(c) + 1);
    units_.push_back({commune, prefix + " " + suffixes[c], "commune", id});
    communes_.push_back(commune);
    district_of_[commune] = id;
  }
  // Branches after every commune, so the founding creates each level in
  // one phase.
  for (const std::string& commune : std::vector<std::string>(
           communes_.end() - suffixes.size(), communes_.end())) {
    units_.push_back(
        {commune + "-ch1", "Chi hội Phụ nữ thôn Đông", "branch", commune});
    units_.push_back(
        {commune + "-ch2", "Chi hội Phụ nữ thôn Tây", "branch", commune});
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    CommuneMerger merger{{}, new_names[g]};
    for (int n : groups[g]) merger.members.push_back(commune_id(n));
    for (const std::string& member : merger.members) {
      survivor_of_[member] = merger.survivor();
    }
    mergers_.push_back(std::move(merger));
  }
}

std::vector<std::string> DemoTerritory::Survivors() const {
  std::vector<std::string> survivors;
  for (const CommuneMerger& merger : mergers_) {
    survivors.push_back(merger.survivor());
  }
  return survivors;
}

const std::string& DemoTerritory::DistrictOf(const std::string& commune) const {
  return district_of_.at(commune);
}

const std::string& DemoTerritory::SurvivorOf(const std::string& commune) const {
  return survivor_of_.at(commune);
}

const std::string& DemoTerritory::CommuneAt(const std::string& commune,
                                            std::int64_t at_us) const {
  return at_us < DemoReformAt() ? commune : SurvivorOf(commune);
}

bool DemoTerritory::EndedByReform(const std::string& unit) const {
  if (unit == "nt") return true;
  if (std::find(districts_.begin(), districts_.end(), unit) !=
      districts_.end()) {
    return true;
  }
  auto survivor = survivor_of_.find(unit);
  return survivor != survivor_of_.end() && survivor->second != unit;
}

std::vector<std::string> DemoTerritory::BranchesOf(
    const std::string& commune) const {
  return {commune + "-ch1", commune + "-ch2"};
}

}  // namespace exemplar::tools
