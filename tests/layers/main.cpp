// Links one stage of the library whole (every object file of it, used or not) against the stages
// it declares and nothing else: a call from the stage into a later one is then an undefined
// symbol, and the build stops at this program. It does nothing when run.
int main() { return 0; }
