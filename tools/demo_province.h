// The demo's territory, as data: Khánh Hòa and its neighbour Ninh Thuận
// before 1 July 2025 (provinces, districts, communes, women's union
// branches), and what the 2025 reform made of them (Ninh Thuận merged into
// Khánh Hòa, the district level dissolved, communes merged in groups).
// Private to tools/demo*.cc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace exemplar::tools {

inline constexpr std::int64_t kDemoHour = 3600LL * 1000 * 1000;
inline constexpr std::int64_t kDemoDay = 24 * kDemoHour;

// 09:00 (or `hour`) in Vietnam on a day.
std::int64_t DemoAt(int year, unsigned month, unsigned day, int hour = 9);

// The instant the demo records the reform: 1 July 2025, 08:00.
std::int64_t DemoReformAt();

struct DemoUnit {
  std::string id;
  std::string name;
  std::string level;
  std::string parent_id;
};

// Communes that became one: the first member survives under a new name.
struct CommuneMerger {
  std::vector<std::string> members;
  std::string new_name;
  const std::string& survivor() const { return members.front(); }
};

class DemoTerritory {
 public:
  DemoTerritory();

  // Every unit created at the founding, parents before children.
  const std::vector<DemoUnit>& founding_units() const { return units_; }
  // Every commune before the reform, in creation order.
  const std::vector<std::string>& communes() const { return communes_; }
  // Every district before the reform.
  const std::vector<std::string>& districts() const { return districts_; }
  const std::vector<CommuneMerger>& mergers() const { return mergers_; }
  // The communes after the reform, in creation order.
  std::vector<std::string> Survivors() const;

  const std::string& DistrictOf(const std::string& commune) const;
  // The commune `commune` became at the reform (itself for a survivor).
  const std::string& SurvivorOf(const std::string& commune) const;
  // The commune an exemplar of `commune` belongs to at `at_us`.
  const std::string& CommuneAt(const std::string& commune,
                               std::int64_t at_us) const;
  // Whether the reform ended `unit`: Ninh Thuận, every district, and every
  // commune that merged into another.
  bool EndedByReform(const std::string& unit) const;
  // The branches (chi hội) of a commune, as created at the founding.
  std::vector<std::string> BranchesOf(const std::string& commune) const;

 private:
  void AddDistrict(const std::string& province, const std::string& id,
                   const std::string& name, const std::string& prefix,
                   const std::vector<std::string>& suffixes,
                   const std::vector<std::vector<int>>& groups,
                   const std::vector<std::string>& new_names);

  std::vector<DemoUnit> units_;
  std::vector<std::string> communes_;
  std::vector<std::string> districts_;
  std::vector<CommuneMerger> mergers_;
  std::map<std::string, std::string> district_of_;
  std::map<std::string, std::string> survivor_of_;
};

}  // namespace exemplar::tools
