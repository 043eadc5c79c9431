#include "suite/cli.hpp"

int main(int argc, char** argv) { return mib::run_cli(argc, argv); }
