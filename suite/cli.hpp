#pragma once
// The mibench command line. Exit codes: 0 success; 1 failed cells or a failed estimate;
// 2 bad usage or bad input (config, flags, files, specs).

namespace mib {

int run_cli(int argc, char** argv);

}  // namespace mib
