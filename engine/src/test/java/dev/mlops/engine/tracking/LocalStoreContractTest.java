package dev.mlops.engine.tracking;

class LocalStoreContractTest extends TrackerContractTest {
    @Override
    Tracker newTracker() {
        return new LocalStore(tmp.resolve("mlruns"), new TickingClock());
    }
}
