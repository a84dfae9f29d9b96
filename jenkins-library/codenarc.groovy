// CodeNarc rules for the shared library (vars/, src/) and the Jenkinsfile; run by CodeNarcTest in the build.
ruleset {
    ruleset('rulesets/basic.xml')
    ruleset('rulesets/braces.xml')
    ruleset('rulesets/exceptions.xml') {
        // Pipeline code catches what the step threw to roll back or notify, then rethrows it.
        exclude 'CatchException'
        exclude 'CatchThrowable'
        // error() is the Pipeline way to fail; throwing RuntimeException types is not used.
        exclude 'ThrowRuntimeException'
    }
    ruleset('rulesets/imports.xml') {
        exclude 'NoWildcardImports'
    }
    ruleset('rulesets/unused.xml') {
        // @Library('mlops') _ : the underscore is how a Jenkinsfile loads a library.
        UnusedVariable {
            ignoreVariableNames = '_'
        }
    }
    ruleset('rulesets/unnecessary.xml') {
        // Explicit returns, GStrings and 'def' read better to Jenkinsfile authors.
        exclude 'UnnecessaryReturnKeyword'
        exclude 'UnnecessaryGString'
        exclude 'UnnecessaryGetter'
        exclude 'UnnecessaryObjectReferences'
        exclude 'UnnecessaryPublicModifier'
    }
    ruleset('rulesets/naming.xml') {
        // vars/ scripts are named after the steps they provide (mlTrain.groovy); Jenkinsfile has no class.
        exclude 'ClassName'
        exclude 'FactoryMethodName'
        exclude 'ConfusingMethodName'
        VariableName {
            ignoreVariableNames = '_'
        }
    }
    ruleset('rulesets/size.xml') {
        exclude 'CrapMetric'
        exclude 'AbcMetric'
        exclude 'MethodSize'
        exclude 'NestedBlockDepth'
        CyclomaticComplexity {
            maxMethodComplexity = 25
        }
    }
    ruleset('rulesets/formatting.xml') {
        exclude 'SpaceAroundMapEntryColon'
        exclude 'ClassJavadoc'
        exclude 'LineLength'
        exclude 'Indentation'
        exclude 'ClassStartsWithBlankLine'
        exclude 'ClassEndsWithBlankLine'
        exclude 'SpaceAfterOpeningBrace'
        exclude 'SpaceBeforeClosingBrace'
        exclude 'FileEndsWithoutNewline'
    }
}
