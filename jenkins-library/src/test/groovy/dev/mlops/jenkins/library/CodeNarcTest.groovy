package dev.mlops.jenkins.library

import org.codenarc.CodeNarcRunner
import org.codenarc.analyzer.FilesystemSourceAnalyzer
import org.codenarc.report.TextReportWriter
import org.codenarc.results.Results
import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat

/** CodeNarc 3.5.0 over vars/, src/ and the Jenkinsfile with codenarc.groovy: the build fails on any violation. */
class CodeNarcTest {
    @Test
    void theLibraryAndTheJenkinsfileHaveNoViolations() {
        File report = new File('target/codenarc.txt')
        CodeNarcRunner runner = new CodeNarcRunner(
                ruleSetFiles: new File('codenarc.groovy').toURI().toString(),
                sourceAnalyzer: new FilesystemSourceAnalyzer(baseDirectory: LibraryTestBase.ROOT.toString(),
                        includes: 'vars/*.groovy,src/**/*.groovy,Jenkinsfile'),
                reportWriters: [new TextReportWriter(outputFile: report.path, title: 'mlops shared library')])
        Results results = runner.execute()
        String text = report.text
        println(text)
        assertThat(results.totalNumberOfFiles).as('files analysed').isGreaterThanOrEqualTo(13)
        assertThat(results.getNumberOfViolationsWithPriority(1, true) + results.getNumberOfViolationsWithPriority(2, true)
                + results.getNumberOfViolationsWithPriority(3, true)).as(text).isZero()
    }
}
